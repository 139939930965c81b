"""Repository-wide pytest configuration: notebook execution times."""
from __future__ import annotations

from collections import defaultdict

import pytest

_notebook_seconds: dict[str, float] = defaultdict(float)


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration
    elif "test_runs_with_one_framework[" in report.nodeid and report.when == "call":
        _notebook_seconds[f"  one framework: {report.nodeid.split('[', 1)[1].rstrip(']')}"] += report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution times (excluding kernel start)")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):6.1f} s  total")


def _execute_with_history(self: RunningKernel, cell_input: str, allow_stdin: bool | None = None) -> str:
    """nbval >= 0.10 executes cells with ``store_history=False``, and IPython then ignores a trailing ``;``
    (https://github.com/computationalmodelling/nbval/issues/194): ``plt.plot(x);`` shows no output in
    Jupyter but an ``Out`` repr under nbval. Execute as Jupyter does, so the stored outputs match."""
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False)


try:
    from nbval.kernel import RunningKernel
except ImportError:  # pragma: no cover - nbval is part of the pinned environment
    pass
else:
    RunningKernel.execute_cell_input = _execute_with_history

"""Repository-wide pytest configuration: per-notebook execution times for nbval runs."""
from __future__ import annotations

from collections import defaultdict

import pytest

_notebook_seconds: dict[str, float] = defaultdict(float)


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution times (nbval, excluding kernel start)")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):6.1f} s  total")


def _execute_with_history(self, cell_input, allow_stdin=None):  # noqa: ANN001, ANN202
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

"""A stopwatch for the book's timing comparisons."""
from __future__ import annotations

import time
from types import TracebackType


class Timer:
    """Record the wall-clock time of repeated runs.

    Use ``start()``/``stop()`` pairs, or the timer as a context manager::

        timer = Timer()
        with timer:
            work()
        print(f"{timer.sum():.3f} sec")

    Timings depend on the machine: cells that print them are excluded from nbval's comparison.
    """

    def __init__(self) -> None:
        self.times: list[float] = []
        self._start: float | None = None

    def start(self) -> None:
        """Start (or restart) the stopwatch."""
        self._start = time.perf_counter()

    def stop(self) -> float:
        """Stop the stopwatch, record the elapsed seconds and return them.

        Raises:
            ValueError: if the timer was not started.
        """
        if self._start is None:
            raise ValueError("Timer.stop() called before Timer.start()")
        self.times.append(time.perf_counter() - self._start)
        self._start = None
        return self.times[-1]

    def __enter__(self) -> Timer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _require_times(self) -> None:
        if not self.times:
            raise ValueError("the timer has no recorded times yet; call start() and stop() first")

    def sum(self) -> float:
        """Total of the recorded times, in seconds."""
        self._require_times()
        return float(sum(self.times))

    def avg(self) -> float:
        """Mean of the recorded times, in seconds."""
        self._require_times()
        return self.sum() / len(self.times)

    def cumsum(self) -> list[float]:
        """Running totals of the recorded times, in seconds."""
        self._require_times()
        total, out = 0.0, []
        for t in self.times:
            total += t
            out.append(total)
        return out

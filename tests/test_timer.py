"""Tests of d2l_utils.Timer."""
import time

import pytest

import d2l_utils as d2l


def test_records_each_interval():
    timer = d2l.Timer()
    for _ in range(3):
        timer.start()
        time.sleep(0.01)
        elapsed = timer.stop()
        assert elapsed >= 0.01
    assert len(timer.times) == 3
    assert timer.sum() == pytest.approx(sum(timer.times))
    assert timer.avg() == pytest.approx(timer.sum() / 3)
    assert timer.cumsum()[-1] == pytest.approx(timer.sum())
    assert timer.cumsum() == sorted(timer.cumsum())


def test_context_manager():
    with d2l.Timer() as timer:
        time.sleep(0.01)
    assert timer.times[0] >= 0.01


def test_stop_without_start():
    with pytest.raises(ValueError, match=r"Timer.stop\(\) called before Timer.start\(\)"):
        d2l.Timer().stop()


@pytest.mark.parametrize("method", ["sum", "avg", "cumsum"])
def test_empty_timer(method):
    with pytest.raises(ValueError, match="the timer has no recorded times yet"):
        getattr(d2l.Timer(), method)()

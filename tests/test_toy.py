"""Tests of d2l_utils.toy.optimize, the driver of the toy-problem experiments."""
import numpy as np
import pytest

import d2l_utils as d2l


def gd(eta, grad):
    return lambda x, state: (x - eta * grad(x), state)


def test_1d_gd_matches_closed_form(capsys):
    # On f(x) = x^2, x_t = (1 - 2 eta)^t x_0 exactly.
    trace = d2l.optimize(gd(0.2, lambda x: 2 * x), 10.0, steps=10)
    assert trace.shape == (11,)
    np.testing.assert_allclose(trace, 10.0 * 0.6 ** np.arange(11), rtol=1e-12)
    assert capsys.readouterr().out == "step 10, x: 0.060466\n"


def test_2d_gd_matches_closed_form(capsys):
    def grad(x):
        return np.array([2 * x[0], 4 * x[1]])

    trace = d2l.optimize(gd(0.1, grad), (-5, -2), steps=20)
    assert trace.shape == (21, 2)
    np.testing.assert_allclose(trace[-1], [-5 * 0.8**20, -2 * 0.6**20], rtol=1e-12)
    assert capsys.readouterr().out == "step 20, x1: -0.057646, x2: -0.000073\n"


def test_state_is_threaded_through_steps():
    def count(x, n):
        return x + 1, n + 1
    calls = []
    d2l.optimize(lambda x, s: (calls.append(s) or count(x, s)), 0.0, steps=3, state=0, verbose=False)
    assert calls == [0, 1, 2]


def test_divergence_stops_and_reports(capsys):
    trace = d2l.optimize(gd(1.1, lambda x: 2 * x), 10.0, steps=5000)
    out = capsys.readouterr().out
    assert out.startswith("diverged at step ") and "inf" in out
    step = int(out.split()[3].rstrip(":"))
    assert len(trace) == step  # iterates 0 .. step-1 are finite; the inf one is dropped
    assert np.all(np.isfinite(trace))
    assert abs(trace[-1]) > 1e300


def test_nan_is_reported_too(capsys):
    trace = d2l.optimize(lambda x, s: (x * np.nan, s), [1.0, 2.0], steps=3)
    assert capsys.readouterr().out == "diverged at step 1: x1: nan, x2: nan\n"
    assert trace.shape == (1, 2)


def test_quiet_run_prints_nothing(capsys):
    d2l.optimize(gd(0.1, lambda x: 2 * x), 1.0, steps=2, verbose=False)
    assert capsys.readouterr().out == ""


def test_x0_is_not_modified():
    x0 = np.array([1.0, 2.0])
    d2l.optimize(lambda x, s: (x - 1, s), x0, steps=2, verbose=False)
    np.testing.assert_array_equal(x0, [1.0, 2.0])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(update=None, x0=1.0, steps=1), TypeError, "update must be a callable"),
    (dict(x0=1.0, steps=0), ValueError, "steps must be >= 1, got 0"),
    (dict(x0=1.0, steps=2.5), TypeError, "steps must be an integer"),
    (dict(x0=[[1.0, 2.0]], steps=1), ValueError, r"x0 must be a number or a non-empty vector, got shape \(1, 2\)"),
    (dict(x0=[], steps=1), ValueError, "x0 must be a number or a non-empty vector"),
    (dict(x0=float("nan"), steps=1), ValueError, "x0 must be finite"),
    (dict(x0="abc", steps=1), ValueError, "x0 must be a number or a vector of numbers"),
])
def test_bad_arguments(kwargs, error, message):
    kwargs.setdefault("update", lambda x, s: (x, s))
    with pytest.raises(error, match=message):
        d2l.optimize(**kwargs)


def test_update_must_return_a_pair():
    with pytest.raises(TypeError, match=r"update must return a pair \(x, state\); got float64 0.0"):
        d2l.optimize(lambda x, s: x - 1, 1.0, steps=1)

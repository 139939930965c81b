"""Tests of d2l_utils.training: the three training styles, their agreement, divergence and bad input."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import d2l_utils as d2l
initial_params = d2l.initial_params

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    return d2l.synthetic_linear_data()


@pytest.fixture(scope="module")
def small():
    return d2l.synthetic_linear_data(n=100, seed=1)


def sgd_mxnet(params, states, hp):
    for p in params:
        p[:] -= hp["lr"] * p.grad


def sgd_torch(params, states, hp):
    for p in params:
        p -= hp["lr"] * p.grad


def test_step_decay():
    schedule = d2l.step_decay(2, 0.1)
    assert [schedule(e, 0.5) for e in range(4)] == [0.5, 0.5, pytest.approx(0.05), pytest.approx(0.05)]
    with pytest.raises(ValueError, match="factor must be a finite number > 0"):
        d2l.step_decay(2, 0.0)
    with pytest.raises(ValueError, match="after must be >= 0"):
        d2l.step_decay(-1)


def test_initial_params_are_seeded_and_small():
    w, b = initial_params(2)
    w2, _ = initial_params(2)
    np.testing.assert_array_equal(w, w2)
    assert w.shape == (2, 1) and w.dtype == np.float32 and np.all(b == 0) and np.abs(w).max() < 0.05


def test_four_styles_agree_and_learn(data, capsys):
    kw = dict(data=data, batch_size=10, epochs=3, schedule=d2l.step_decay(2, 0.1))
    runs = {
        "scratch mxnet": d2l.train_scratch(sgd_mxnet, [], {"lr": 0.05}, framework="mxnet", **kw),
        "scratch torch": d2l.train_scratch(sgd_torch, [], {"lr": 0.05}, framework="torch", **kw),
        "gluon": d2l.train_gluon("sgd", {"learning_rate": 0.05}, **kw),
        "torch.optim": d2l.train_torch(torch.optim.SGD, {"lr": 0.05}, **kw),
    }
    for r in runs.values():
        assert r.diverged is None and not r.blew_up
        np.testing.assert_allclose(r.w, data.true_w, atol=0.01)
        assert abs(r.b - data.true_b) < 0.01
        assert r.final_loss < 1e-3 < r.losses[0]
        assert r.lrs == [0.05, 0.05, pytest.approx(0.005)]
        assert len(r.losses) == len(r.epochs) == 1 + 3 * 100  # initial + every 10 examples
        assert r.epochs[-1] == 3.0
    largest = d2l.agreement(runs)
    assert largest < 1e-5  # float32 rounding, not an algorithmic difference
    out = capsys.readouterr().out
    assert "scratch (mxnet): loss " in out and "; true w [2.0000, -3.4000], b 4.2000\n" in out
    assert "max |gluon - scratch mxnet| = " in out


def test_gluon_uses_summed_loss_rescaled_by_batch_size(small):
    # One epoch of full-batch GD: Gluon's step(batch_size) must equal plain GD on the mean loss.
    gluon = d2l.train_gluon("sgd", {"learning_rate": 0.1}, small, batch_size=100, epochs=1)
    w0, b0 = initial_params(2)
    X, y = small.features.astype(np.float64), small.labels.astype(np.float64)
    residual = X @ w0.reshape(-1) + b0[0] - y
    w1 = w0.reshape(-1) - 0.1 * X.T @ residual / 100
    b1 = b0[0] - 0.1 * residual.mean()
    np.testing.assert_allclose(gluon.w, w1, rtol=1e-5)
    assert gluon.b == pytest.approx(b1, rel=1e-5)


def test_divergence_is_detected_and_reported(data, capsys):
    r = d2l.train_torch(torch.optim.SGD, {"lr": 3.0}, data, batch_size=10)
    out = capsys.readouterr().out
    assert r.diverged is not None and r.diverged.startswith("diverged at epoch 1, step ")
    assert r.diverged.endswith("loss = inf") or r.diverged.endswith("loss = nan")
    assert r.diverged in out and r.blew_up and "warning: loss" in out
    assert not np.isfinite(r.losses[-1]) and np.all(np.isfinite(r.losses[:-1]))
    assert "true w" not in out  # no final-parameter line for a diverged run
    with pytest.raises(ValueError, match="diverged; there are no final parameters"):
        d2l.agreement({"a": r, "b": r})


def test_long_result_lines_wrap(capsys):
    data = d2l.synthetic_linear_data(n=50, w=(1.0, 2.0, 3.0, 4.0, 5.0), seed=2)
    d2l.train_torch(torch.optim.SGD, {"lr": 0.1}, data, batch_size=10, epochs=1, name="five features")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[2].startswith("    true w [1.0000, 2.0000, 3.0000, 4.0000, 5.0000]")
    assert all(len(line) <= 79 for line in lines)


def test_blow_up_is_flagged_but_training_continues(small, capsys):
    # GD with lr = 2.3 on curvature about 1 grows by about 1.3x a step: far above the start, still finite.
    r = d2l.train_scratch(sgd_torch, [], {"lr": 2.3}, small, batch_size=100, epochs=12, framework="torch")
    out = capsys.readouterr().out
    assert r.blew_up and r.diverged is None
    assert out.count("warning: loss") == 1 and f"{d2l.BLOWUP_FACTOR:g}x its initial value" in out


def test_plot_losses_marks_divergence(data, small):
    ok = d2l.train_torch(torch.optim.SGD, {"lr": 0.1}, small, batch_size=10, epochs=1)
    bad = d2l.train_torch(torch.optim.SGD, {"lr": 3.0}, data, batch_size=10)
    plt.close("all")
    d2l.plot_losses(ok, bad)
    ax = plt.gca()
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [ok.name, bad.name]
    markers = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(markers) == 1
    assert any(t.get_text() in ("inf", "nan") for t in ax.texts)
    plt.close("all")


def test_plot_losses_rejects_bad_input():
    with pytest.raises(ValueError, match="plot_losses needs at least one TrainResult"):
        d2l.plot_losses()
    with pytest.raises(TypeError, match="plot_losses takes TrainResult objects, got list"):
        d2l.plot_losses([1.0, 2.0])


def test_agreement_needs_two_runs(small):
    r = d2l.train_torch(torch.optim.SGD, {"lr": 0.1}, small, batch_size=10, epochs=1)
    with pytest.raises(ValueError, match="agreement needs at least two runs"):
        d2l.agreement({"only": r})


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    (dict(batch_size=101), ValueError, "batch_size must be <= 100, got 101"),
    (dict(hparams={"lr": 0.0}), ValueError, "lr must be a finite number > 0, got 0.0"),
    (dict(hparams={"lr": float("nan")}), ValueError, "lr must be a finite number > 0, got nan"),
    (dict(hparams={"lr": float("inf")}), ValueError, "lr must be a finite number > 0, got inf"),
    (dict(hparams={"momentum": 0.9}), ValueError, "hparams must be a dict with an 'lr' entry"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(period=15), ValueError, "period must be a multiple of the batch size 10, got 15"),
    (dict(period=0), ValueError, "period must be >= 1, got 0"),
    (dict(framework="jax"), ValueError, "framework must be one of 'mxnet', 'torch'; got 'jax'"),
    (dict(update="sgd"), TypeError, "update must be a callable"),
    (dict(schedule=0.1), TypeError, "schedule must be a callable"),
    (dict(data=np.zeros((3, 2))), TypeError, "data must be a LinearData"),
])
def test_train_scratch_rejects_bad_arguments(small, kwargs, error, message):
    args = dict(update=sgd_torch, states=[], hparams={"lr": 0.1}, data=small, batch_size=10,
                framework="torch")
    args.update(kwargs)
    with pytest.raises(error, match=message):
        d2l.train_scratch(**args)


def test_train_gluon_rejects_bad_arguments(small):
    with pytest.raises(ValueError, match="optimizer must be one of MXNet's optimizer names .*'sgdd'"):
        d2l.train_gluon("sgdd", {"learning_rate": 0.1}, small, 10)
    with pytest.raises(ValueError, match="hparams must be a dict with a 'learning_rate' entry"):
        d2l.train_gluon("sgd", {"lr": 0.1}, small, 10)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0, got -1.0"):
        d2l.train_gluon("sgd", {"learning_rate": -1}, small, 10)


def test_train_torch_rejects_bad_arguments(small):
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer class"):
        d2l.train_torch("sgd", {"lr": 0.1}, small, 10)
    with pytest.raises(ValueError, match="hparams must be a dict with an 'lr' entry"):
        d2l.train_torch(torch.optim.SGD, {"learning_rate": 0.1}, small, 10)

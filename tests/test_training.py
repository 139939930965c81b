"""Tests of d2l_utils.training: from-scratch rules and framework optimizers on the linear-regression problem,
their agreement, recording, divergence, reports, plots and bad input."""
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import d2l_utils as d2l
from d2l_utils.frameworks import NAMES
from d2l_utils.training import LOSS_FLOOR, full_loss

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


SCRATCH_SGD = {"mxnet": sgd_mxnet, "torch": sgd_torch}


def library_sgd(framework, lr):
    """(optimizer, hparams) of plain SGD in the framework's own terms."""
    return ("sgd", {"learning_rate": lr}) if framework == "mxnet" else (torch.optim.SGD, {"lr": lr})


def run_style(style, framework, lr, data, **kw):
    """One quiet run: 'scratch' (a from-scratch SGD rule) or 'library' (the framework's SGD)."""
    if style == "scratch":
        return d2l.train_scratch(SCRATCH_SGD[framework], [], {"lr": lr}, data, framework=framework,
                                 verbose=False, **kw)
    return d2l.train(framework, *library_sgd(framework, lr), data, verbose=False, **kw)


def test_initial_params_are_seeded_and_small():
    w, b = initial_params(2)
    w2, _ = initial_params(2)
    np.testing.assert_array_equal(w, w2)
    assert w.shape == (2, 1) and w.dtype == np.float32 and np.all(b == 0) and np.abs(w).max() < 0.05
    assert not np.array_equal(initial_params(2, seed=1)[0], w)


def test_full_loss_is_half_the_mean_squared_error_in_float64(small):
    w, b = np.array([1.0, -1.0]), np.array([0.5])
    residual = small.features.astype(np.float64) @ w + 0.5 - small.labels.astype(np.float64)
    assert full_loss(small, w, b) == pytest.approx(np.mean(residual**2) / 2, rel=1e-12)
    assert full_loss(small, small.true_w, np.array([small.true_b])) < 1e-4  # only the noise is left
    assert full_loss(small, np.array([1e300, 1e300]), np.array([0.0])) == np.inf


def test_four_styles_agree_and_learn(data, capsys):
    kw = dict(data=data, batch_size=10, epochs=3, schedule=d2l.step_decay(2, 0.1))
    runs = {
        "scratch mxnet": d2l.train_scratch(sgd_mxnet, [], {"lr": 0.05}, framework="mxnet", **kw),
        "scratch torch": d2l.train_scratch(sgd_torch, [], {"lr": 0.05}, framework="torch", **kw),
        "gluon": d2l.train("mxnet", "sgd", {"learning_rate": 0.05}, **kw),
        "torch.optim": d2l.train("torch", torch.optim.SGD, {"lr": 0.05}, **kw),
    }
    assert [r.name for r in runs.values()] == ["scratch (mxnet)", "scratch (torch)", "gluon (sgd)", "torch (SGD)"]
    for r in runs.values():
        assert r.diverged is None and not r.blew_up
        np.testing.assert_allclose(r.w, data.true_w, atol=0.01)
        assert abs(r.b - data.true_b) < 0.01
        assert r.final_loss < 1e-3 < r.losses[0]
        assert len(r.lrs) == 3 * 100  # one rate per update: 100 minibatches per epoch
        assert r.lrs[:200] == [0.05] * 200 and r.lrs[200:] == [pytest.approx(0.005)] * 100
        assert len(r.losses) == len(r.epochs) == 1 + 3 * 100  # initial + every 10 examples
        assert r.epochs[-1] == 3.0
    out = capsys.readouterr().out
    assert "scratch (mxnet): loss " in out and "; true w [2.0000, -3.4000], b 4.2000\n" in out
    assert d2l.agreement(runs, compare="params") < 1e-5  # float32 rounding, not an algorithmic difference
    assert d2l.agreement(runs, compare="losses") < LOSS_FLOOR
    out = capsys.readouterr().out
    assert "max |gluon - scratch mxnet| = " in out
    assert "torch.optim vs scratch mxnet: max relative loss difference < 1e-4\n" in out


def test_gluon_uses_summed_loss_rescaled_by_batch_size(small):
    # One epoch of full-batch GD: Gluon's step(batch_size) must equal plain GD on the mean loss.
    gluon = d2l.train("mxnet", "sgd", {"learning_rate": 0.1}, small, batch_size=100, epochs=1, verbose=False)
    w0, b0 = initial_params(2)
    X, y = small.features.astype(np.float64), small.labels.astype(np.float64)
    residual = X @ w0.reshape(-1) + b0[0] - y
    w1 = w0.reshape(-1) - 0.1 * X.T @ residual / 100
    b1 = b0[0] - 0.1 * residual.mean()
    np.testing.assert_allclose(gluon.w, w1, rtol=1e-5)
    assert gluon.b == pytest.approx(b1, rel=1e-5)
    assert gluon.lrs == [pytest.approx(0.1)]


def test_the_recording_bug_is_fixed(small):
    # The issue: n=100, batch 30, 2 epochs recorded only at 0, 0.3, 0.6, 0.9 and returned final_loss 8.45 while
    # the returned parameters had loss 3.33.
    r = d2l.train("torch", torch.optim.SGD, {"lr": 0.1}, small, batch_size=30, epochs=2, verbose=False)
    np.testing.assert_allclose(r.epochs, [0.0, 0.3, 0.6, 0.9, 1.3, 1.6, 1.9, 2.0])
    assert r.final_loss == pytest.approx(full_loss(small, r.w, r.b), rel=1e-12)
    assert r.final_loss == pytest.approx(3.3325, abs=1e-3)
    assert len(r.lrs) == 2 * 4  # 30 + 30 + 30 + 10 examples per epoch


@pytest.mark.parametrize("framework", NAMES)
@pytest.mark.parametrize("style", ["scratch", "library"])
@pytest.mark.parametrize("batch_size, period, epochs, expected", [
    # A record when the examples seen pass a multiple of `period` (counted over the run), and one at the end.
    (30, None, 2, [0.0, 0.3, 0.6, 0.9, 1.3, 1.6, 1.9, 2.0]),
    (30, 60, 2, [0.0, 0.6, 1.3, 1.9, 2.0]),
    (7, 21, 1, [0.0, 0.21, 0.42, 0.63, 0.84, 1.0]),
    (100, None, 3, [0.0, 1.0, 2.0, 3.0]),
    (40, 40, 1, [0.0, 0.4, 0.8, 1.0]),
])
def test_the_last_record_is_the_loss_of_the_returned_params(small, framework, style, batch_size, period, epochs,
                                                            expected):
    r = run_style(style, framework, 0.1, small, batch_size=batch_size, period=period, epochs=epochs)
    np.testing.assert_allclose(r.epochs, expected)
    assert r.final_loss == pytest.approx(full_loss(small, *r.params), rel=1e-12)
    assert r.losses[0] == pytest.approx(full_loss(small, *initial_params(2)), rel=1e-12)
    assert len(r.lrs) == epochs * -(-small.n // batch_size)


def test_verbose_false_prints_nothing_and_verbose_is_the_default(small, capsys):
    run_style("scratch", "torch", 0.1, small, batch_size=50, epochs=1)
    run_style("library", "mxnet", 0.1, small, batch_size=50, epochs=1)
    assert capsys.readouterr().out == ""
    r = d2l.train_scratch(sgd_torch, [], {"lr": 0.1}, small, batch_size=50, epochs=1, name="loud")
    assert capsys.readouterr().out.startswith(f"loud: loss {r.final_loss:.6f}\n    w [")


def test_same_seed_same_run_other_seed_other_minibatches(small):
    a, b, c = (run_style("library", "torch", 0.1, small, batch_size=10, epochs=1, seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)
    np.testing.assert_array_equal(a.losses[0], c.losses[0])  # the same initial parameters


def test_torch_lr_scheduler_in_hparams_is_stepped_every_update(small):
    make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, 3, gamma=0.5)  # noqa: E731
    r = d2l.train("torch", torch.optim.SGD, {"lr": 0.1, "lr_scheduler": make}, small, batch_size=25, epochs=2,
                  verbose=False)
    np.testing.assert_allclose(r.lrs, [0.1] * 3 + [0.05] * 3 + [0.025] * 2)
    by_hand = d2l.train_scratch(lambda params, states, hp: sgd_torch(params, states, {"lr": r.lrs[states.pop(0)]}),
                                list(range(8)), {}, small, batch_size=25, epochs=2, verbose=False)
    np.testing.assert_allclose(r.params[0], by_hand.params[0], rtol=1e-6)


def test_divergence_is_detected_and_reported(data, capsys):
    r = d2l.train("torch", torch.optim.SGD, {"lr": 3.0}, data, batch_size=10)
    out = capsys.readouterr().out
    assert re.fullmatch(r"diverged at epoch 1, step \d+: loss = (inf|nan)", r.diverged)
    step = int(r.diverged.split("step ")[1].split(":")[0])
    assert len(r.lrs) == step and r.epochs[-1] == pytest.approx(10 * step / 1000)
    assert r.diverged in out and r.blew_up and "warning: loss" in out
    assert not np.isfinite(r.losses[-1]) and np.all(np.isfinite(r.losses[:-1]))
    assert str(r.losses[-1]) == r.diverged.rsplit("= ", 1)[1]
    assert "true w" not in out  # no final-parameter line for a diverged run
    with pytest.raises(ValueError, match="run 'a' diverged; there are no final parameters"):
        d2l.agreement({"a": r, "b": r})


def test_long_result_lines_wrap(capsys):
    data = d2l.synthetic_linear_data(n=50, w=(1.0, 2.0, 3.0, 4.0, 5.0), seed=2)
    d2l.train("torch", torch.optim.SGD, {"lr": 0.1}, data, batch_size=10, epochs=1, name="five features")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("five features: loss ")
    assert lines[2].startswith("    true w [1.0000, 2.0000, 3.0000, 4.0000, 5.0000]")
    assert all(len(line) <= 79 for line in lines)


def test_blow_up_is_flagged_but_training_continues(small, capsys):
    # GD with lr = 2.3 on curvature about 1 grows by about 1.3x a step: far above the start, still finite.
    r = d2l.train_scratch(sgd_torch, [], {"lr": 2.3}, small, batch_size=100, epochs=12, framework="torch")
    out = capsys.readouterr().out
    assert r.blew_up and r.diverged is None and len(r.losses) == 13 and np.all(np.isfinite(r.losses))
    assert out.count("warning: loss") == 1 and f"{d2l.BLOWUP_FACTOR:g}x its initial value" in out
    assert f"scratch (torch): loss {r.final_loss:.6f}" in out


def test_report_rejects_a_non_run():
    with pytest.raises(TypeError, match="run must be a Run, got dict"):
        d2l.report({})


def test_plot_losses_marks_divergence(data, small):
    ok = d2l.train("torch", torch.optim.SGD, {"lr": 0.1}, small, batch_size=10, epochs=1, verbose=False)
    bad = d2l.train("torch", torch.optim.SGD, {"lr": 3.0}, data, batch_size=10, verbose=False)
    plt.close("all")
    d2l.plot_losses(ok, bad)
    ax = plt.gca()
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [ok.name, bad.name]
    markers = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(markers) == 1 and markers[0].get_xdata()[0] == bad.epochs[-1]
    assert any(t.get_text() in ("inf", "nan") for t in ax.texts)
    plt.close("all")


def test_plot_losses_rejects_bad_input():
    with pytest.raises(ValueError, match="plot_losses needs at least one Run"):
        d2l.plot_losses()
    with pytest.raises(TypeError, match="plot_losses takes Run objects, got list"):
        d2l.plot_losses([1.0, 2.0])


# agreement ----------------------------------------------------------------------------------------------


def fake_run(losses, w=(1.0, 2.0), b=0.5, epochs=None):
    losses = np.asarray(losses, dtype=np.float64)
    epochs = np.arange(len(losses), dtype=np.float64) if epochs is None else np.asarray(epochs, np.float64)
    return d2l.Run("fake", epochs, losses, [0.1], [np.array(w, np.float32).reshape(-1, 1), np.array([b], np.float32)])


def test_agreement_prints_both_figures_by_default(capsys):
    a, b = fake_run([1.0, 0.5]), fake_run([1.0, 0.5 * (1 + 3e-3)], w=(1.0, 2.25))
    largest = d2l.agreement({"a": a, "b": b})
    assert capsys.readouterr().out == "max |b - a| = 2.50e-01, losses 3.0e-03 relative\n"
    assert largest == pytest.approx(0.25)
    assert d2l.agreement({"a": a, "b": b}, compare="losses") == pytest.approx(3e-3)
    assert capsys.readouterr().out == "b vs a: max relative loss difference 3.0e-03\n"
    assert d2l.agreement({"a": a, "b": b}, compare="params") == pytest.approx(0.25)
    assert capsys.readouterr().out == "max |b - a| = 2.50e-01\n"


def test_agreement_with_a_single_run_has_nothing_to_compare(capsys):
    assert d2l.agreement({"torch": fake_run([1.0, 0.5])}) == 0.0
    assert capsys.readouterr().out == "only torch ran here: nothing to compare it with\n"


def test_agreement_prints_tiny_loss_differences_as_below_the_floor(capsys):
    a, b = fake_run([1.0, 0.5]), fake_run([1.0, 0.5 * (1 + 5e-5)])
    assert d2l.agreement({"a": a, "b": b}, compare="losses") == pytest.approx(5e-5)
    assert capsys.readouterr().out == "b vs a: max relative loss difference < 1e-4\n"
    d2l.agreement({"a": a, "b": b})
    assert capsys.readouterr().out == "max |b - a| = 0.00e+00, losses < 1e-4 relative\n"


def test_agreement_measures_a_real_difference(small, capsys):
    slow = run_style("library", "torch", 0.05, small, batch_size=10, epochs=1)
    fast = run_style("library", "torch", 0.1, small, batch_size=10, epochs=1)
    third = run_style("scratch", "torch", 0.1, small, batch_size=10, epochs=1)
    rel = np.max(np.abs(fast.losses - slow.losses) / slow.losses)
    assert rel > 0.1
    assert d2l.agreement({"slow": slow, "fast": fast}, compare="losses") == pytest.approx(rel)
    assert capsys.readouterr().out == f"fast vs slow: max relative loss difference {rel:.1e}\n"
    diff = max(np.max(np.abs(p - q)) for p, q in zip(fast.params, slow.params, strict=True))
    both = d2l.agreement({"slow": slow, "fast": fast, "third": third})
    assert both == pytest.approx(max(rel, diff))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"max |fast - slow| = {diff:.2e}, losses {rel:.1e} relative"
    assert lines[1].startswith("max |third - slow| = ")


def test_agreement_rejects_runs_recorded_at_different_points(small):
    a = run_style("library", "torch", 0.1, small, batch_size=10, epochs=1)
    b = run_style("library", "torch", 0.1, small, batch_size=10, epochs=1, period=20)
    with pytest.raises(ValueError, match="runs 'b' and 'a' recorded their losses at different points"):
        d2l.agreement({"a": a, "b": b})
    with pytest.raises(ValueError, match="recorded their losses at different points"):
        d2l.agreement({"a": fake_run([1.0, 0.5]), "b": fake_run([1.0, 0.5], epochs=[0.0, 0.5])}, compare="losses")
    assert d2l.agreement({"a": a, "b": b}, compare="params") < 1e-6  # the same run: the same final parameters


def test_agreement_rejects_bad_input():
    r = fake_run([1.0, 0.5])
    with pytest.raises(ValueError, match="compare must be one of 'params', 'losses', 'both'; got 'all'"):
        d2l.agreement({"a": r, "b": r}, compare="all")
    with pytest.raises(ValueError, match="runs must be a dict name -> Run with at least one run"):
        d2l.agreement({})
    with pytest.raises(ValueError, match="runs must be a dict"):
        d2l.agreement([r, r])
    with pytest.raises(TypeError, match="runs\\['b'\\] must be a Run, got float"):
        d2l.agreement({"a": r, "b": 1.0})


# bad arguments ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    (dict(batch_size=101), ValueError, "batch_size must be <= 100, got 101"),
    (dict(hparams={"lr": 0.0}), ValueError, "hparams['lr'] must be a finite number > 0, got 0.0"),
    (dict(hparams={"lr": float("nan")}), ValueError, "hparams['lr'] must be a finite number > 0, got nan"),
    (dict(hparams={"lr": float("inf")}), ValueError, "hparams['lr'] must be a finite number > 0, got inf"),
    (dict(hparams={"lr": "0.1"}), TypeError, "hparams['lr'] must be a real number, got str '0.1'"),
    (dict(hparams=[0.1]), TypeError, "hparams must be a dict, got [0.1]"),
    (dict(hparams={"rho": 0.9}, schedule=d2l.step_decay()), ValueError,
     "a schedule needs hparams['lr'], the learning rate it changes"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(period=15), ValueError, "period must be a multiple of the batch size 10, got 15"),
    (dict(period=0), ValueError, "period must be >= 1, got 0"),
    (dict(framework="jax"), ValueError, "framework must be one of 'mxnet', 'torch'; got 'jax'"),
    (dict(update="sgd"), TypeError, "update must be a callable (params, states, hparams), got 'sgd'"),
    (dict(schedule=0.1), TypeError, "schedule must be a callable (epoch, lr) -> lr or None, got 0.1"),
    (dict(data=np.zeros((3, 2))), TypeError, "data must be a LinearData (see synthetic_linear_data), got ndarray"),
    (dict(seed=-1), ValueError, "seed must be >= 0, got -1"),
])
def test_train_scratch_rejects_bad_arguments(small, kwargs, error, message):
    args = dict(update=sgd_torch, states=[], hparams={"lr": 0.1}, data=small, batch_size=10,
                framework="torch")
    args.update(kwargs)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        d2l.train_scratch(**args)


def test_train_scratch_without_a_learning_rate_reports_nan_rates(small):
    # A rule without a learning rate (Adadelta) leaves hparams['lr'] out; its rates are recorded as NaN.
    r = d2l.train_scratch(lambda params, states, hp: None, [], {"rho": 0.9}, small, batch_size=50, epochs=1,
                          verbose=False)
    assert len(r.lrs) == 2 and np.all(np.isnan(r.lrs)) and r.final_loss == r.losses[0]


@pytest.mark.parametrize("framework, optimizer, hparams, error, message", [
    ("mxnet", "sgdd", {"learning_rate": 0.1}, ValueError, "optimizer must be one of MXNet's optimizer names .*'sgdd'"),
    ("mxnet", "sgd", {"lr": 0.1}, ValueError, "hparams must be a dict with a 'learning_rate' entry"),
    ("mxnet", "sgd", {"learning_rate": -1}, ValueError,
     re.escape("hparams['learning_rate'] must be a finite number > 0, got -1.0")),
    ("torch", "sgd", {"lr": 0.1}, TypeError, "optimizer must be a torch.optim.Optimizer class"),
    ("torch", torch.optim.SGD, {"learning_rate": 0.1}, ValueError, "hparams must be a dict with an 'lr' entry"),
    ("torch", torch.optim.SGD, {"lr": 0.0}, ValueError,
     re.escape("hparams['lr'] must be a finite number > 0, got 0.0")),
    ("torch", torch.optim.SGD, {"lr": 0.1, "lr_scheduler": 3}, TypeError,
     re.escape("hparams['lr_scheduler'] must be a callable optimizer -> lr_scheduler, got 3")),
    ("jax", "sgd", {"lr": 0.1}, ValueError, "framework must be one of 'mxnet', 'torch'; got 'jax'"),
])
def test_train_rejects_bad_arguments(small, framework, optimizer, hparams, error, message):
    with pytest.raises(error, match=message):
        d2l.train(framework, optimizer, hparams, small, 10, verbose=False)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(batch_size=101), ValueError, "batch_size must be <= 100, got 101"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(period=15), ValueError, "period must be a multiple of the batch size 10, got 15"),
    (dict(schedule="cosine"), TypeError, "schedule must be a callable (epoch, lr) -> lr or None, got 'cosine'"),
    (dict(data=None), TypeError, "data must be a LinearData (see synthetic_linear_data), got NoneType"),
])
def test_train_rejects_bad_training_arguments(small, kwargs, error, message):
    args = dict(framework="torch", optimizer=torch.optim.SGD, hparams={"lr": 0.1}, data=small, batch_size=10,
                verbose=False)
    args.update(kwargs)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        d2l.train(**args)


def test_train_names_a_negative_torch_learning_rate(small):
    with pytest.raises(ValueError, match=re.escape("hparams['lr'] must be a finite number > 0, got -1.0")):
        d2l.train("torch", torch.optim.SGD, {"lr": -1}, small, 10, verbose=False)


def test_train_rejects_a_schedule_without_a_learning_rate(small):
    with pytest.raises(ValueError, match="a schedule needs"):
        d2l.train("mxnet", "adadelta", {}, small, 10, schedule=d2l.step_decay(), verbose=False)

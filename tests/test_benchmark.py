"""Tests of d2l_utils.benchmark: data, networks, training in both frameworks, the batched sweep, plots, errors."""
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import d2l_utils as d2l
from d2l_utils import benchmark
from d2l_utils.frameworks import NAMES

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def digits():
    return benchmark.load_digits_split()


@pytest.fixture(scope="module")
def small(digits):
    """A quick subset: 150 training and 60 held-out images."""
    return benchmark.Split(digits.X_train[:150], digits.y_train[:150], digits.X_test[:60], digits.y_test[:60])


@pytest.fixture(scope="module")
def init():
    return benchmark.mlp_init((64, 8, 10), seed=0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_load_digits_split_is_standardized_seeded_and_complete(digits):
    assert digits.X_train.shape == (1297, 64) and digits.X_test.shape == (500, 64)
    assert digits.X_train.dtype == np.float32 and digits.y_train.dtype == np.int64
    assert digits.n_classes == 10
    np.testing.assert_allclose(digits.X_train.mean(axis=0), 0, atol=1e-5)
    std = digits.X_train.std(axis=0)
    assert np.all((np.abs(std - 1) < 1e-4) | (std == 0)) and (std == 0).any()  # blank pixels stay 0
    from sklearn.datasets import load_digits
    counts = np.bincount(load_digits().target)
    np.testing.assert_array_equal(np.bincount(digits.y_train) + np.bincount(digits.y_test), counts)
    again = benchmark.load_digits_split()
    np.testing.assert_array_equal(again.X_test, digits.X_test)
    other = benchmark.load_digits_split(n_test=100, seed=1)
    assert other.X_test.shape == (100, 64) and not np.array_equal(other.y_test, digits.y_test[:100])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(n_test=0), ValueError, "n_test must be >= 1, got 0"),
    (dict(n_test=1797), ValueError, "n_test must be <= 1796, got 1797"),
    (dict(n_test=0.5), TypeError, "n_test must be an integer, got float 0.5"),
    (dict(seed=-1), ValueError, "seed must be >= 0, got -1"),
])
def test_load_digits_split_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        benchmark.load_digits_split(**kwargs)


def test_mlp_init_shapes_bounds_and_seed():
    params = benchmark.mlp_init((64, 32, 10), seed=3)
    assert [p.shape for p in params] == [(32, 64), (32,), (10, 32), (10,)]
    assert all(p.dtype == np.float32 for p in params)
    assert np.abs(params[0]).max() <= math.sqrt(6 / 64) and np.abs(params[2]).max() <= math.sqrt(6 / 32)
    assert np.abs(params[0]).max() > 0.9 * math.sqrt(6 / 64)  # uniform on the whole interval
    assert not params[1].any() and not params[3].any()
    np.testing.assert_array_equal(benchmark.mlp_init((64, 32, 10), seed=3)[2], params[2])
    assert not np.array_equal(benchmark.mlp_init((64, 32, 10), seed=4)[0], params[0])


@pytest.mark.parametrize("sizes, seed, error, message", [
    ((64,), 0, ValueError, "sizes must list at least an input and an output width"),
    ((64, 0, 10), 0, ValueError, r"sizes\[1\] must be >= 1, got 0"),
    ((64.0, 10), 0, TypeError, r"sizes\[0\] must be an integer"),
    ((64, 10), -1, ValueError, "seed must be >= 0, got -1"),
])
def test_mlp_init_rejects_bad_arguments(sizes, seed, error, message):
    with pytest.raises(error, match=message):
        benchmark.mlp_init(sizes, seed)


def test_both_networks_compute_the_same_function(init):
    x = np.random.default_rng(0).normal(size=(5, 64)).astype(np.float32)
    W1, b1, W2, b2 = init
    expected = np.maximum(x @ W1.T + b1, 0) @ W2.T + b2
    from mxnet import nd
    out_torch = benchmark.mlp("torch", init)(torch.from_numpy(x)).detach().numpy()
    out_mxnet = benchmark.mlp("mxnet", init)(nd.array(x)).asnumpy()
    np.testing.assert_allclose(out_torch, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out_mxnet, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("framework", NAMES)
def test_networks_reject_inconsistent_params(framework, init):
    with pytest.raises(ValueError, match=r"params must be a list \[W1, b1, W2, b2, ...\]"):
        benchmark.mlp(framework, init[:3])
    bad = [init[0], init[1], np.zeros((10, 7), np.float32), init[3]]
    with pytest.raises(ValueError, match=r"params\[2\] and params\[3\] must be an \(out, 8\) matrix and an \(out,\) "
                                         r"vector, got shapes \(10, 7\) and \(10,\)"):
        benchmark.mlp(framework, bad)


def test_mlp_rejects_an_unknown_framework(init):
    with pytest.raises(ValueError, match="framework must be one of 'mxnet', 'torch'; got 'jax'"):
        benchmark.mlp("jax", init)


def final_loss_of(params, data):
    """The mean cross-entropy of the network with ``params`` on the training set, in float64 NumPy."""
    W1, b1, W2, b2 = (np.asarray(p, np.float64) for p in params)
    logits = np.maximum(data.X_train @ W1.T + b1, 0) @ W2.T + b2
    log_z = np.log(np.exp(logits - logits.max(axis=1, keepdims=True)).sum(axis=1)) + logits.max(axis=1)
    return float(np.mean(log_z - logits[np.arange(len(data.y_train)), data.y_train]))


def test_torch_and_gluon_training_agree_and_record_everything(small, init):
    kw = dict(data=small, params=init, epochs=2, batch_size=32, seed=1)
    t = benchmark.train_mlp("torch", torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}, name="t", **kw)
    g = benchmark.train_mlp("mxnet", "sgd", {"learning_rate": 0.1, "momentum": 0.9}, **kw)
    assert t.name == "t" and g.name == "gluon (sgd)"
    for h in (t, g):
        assert h.diverged is None and not h.blew_up
        np.testing.assert_array_equal(h.epochs, [0.0, 1.0, 2.0])  # once per epoch
        assert len(h.losses) == len(h.metrics["accuracy"]) == 3
        assert h.final_loss < 0.5 * h.losses[0] and h.final_acc == h.metrics["accuracy"][-1] > 0.5
        np.testing.assert_allclose(h.lrs, 0.1)
        assert len(h.lrs) == 2 * 5  # two epochs of ceil(150 / 32) updates
        assert [p.shape for p in h.params] == [p.shape for p in init]
        # the last record is the loss of the returned parameters
        assert h.final_loss == pytest.approx(final_loss_of(h.params, small), rel=1e-5)
    np.testing.assert_allclose(g.losses, t.losses, rtol=1e-4)
    np.testing.assert_allclose(g.metrics["accuracy"], t.metrics["accuracy"])
    for p, q in zip(g.params, t.params, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-4, atol=1e-5)
    other = benchmark.train_mlp("torch", torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}, **{**kw, "seed": 2})
    assert other.losses[0] == t.losses[0] and not np.allclose(other.losses[1:], t.losses[1:], rtol=1e-4)


def test_schedulers_are_stepped_per_update_in_both_frameworks(small, init):
    import mxnet as mx
    kw = dict(data=small, params=init, epochs=1, batch_size=30)
    t = benchmark.train_mlp("torch", torch.optim.SGD,
                            {"lr": 0.1, "lr_scheduler": lambda opt: torch.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)},
                            **kw)
    g = benchmark.train_mlp("mxnet", "sgd", {"learning_rate": 0.1,
                                            "lr_scheduler": mx.lr_scheduler.FactorScheduler(2, 0.5, base_lr=0.1)}, **kw)
    np.testing.assert_allclose(t.lrs, [0.1, 0.1, 0.05, 0.05, 0.025])
    np.testing.assert_allclose(g.lrs, t.lrs)
    # The rates were used, not only reported: both runs took the same steps, unlike a constant rate.
    np.testing.assert_allclose(g.losses, t.losses, rtol=1e-4)
    constant = benchmark.train_mlp("torch", torch.optim.SGD, {"lr": 0.1}, **kw)
    assert abs(constant.final_loss - t.final_loss) > 1e-3


def test_divergence_stops_training_and_is_reported(small, init):
    for h in (benchmark.train_mlp("torch", torch.optim.SGD, {"lr": 1e30}, small, init, epochs=3),
              benchmark.train_mlp("mxnet", "sgd", {"learning_rate": 1e30}, small, init, epochs=3)):
        assert h.diverged == "diverged at epoch 1, step 2: loss = nan", h.name
        assert len(h.losses) == 2 and not math.isfinite(h.final_loss) and math.isfinite(h.losses[0])
        assert h.epochs[-1] == pytest.approx(128 / 150) and len(h.lrs) == 2
        assert math.isnan(h.metrics["accuracy"][-1])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(optimizer="sgd"), TypeError, "optimizer must be a torch.optim.Optimizer class"),
    (dict(hparams={"momentum": 0.9}), ValueError, "hparams must be a dict with an 'lr' entry"),
    (dict(hparams={"lr": 0.1, "lr_scheduler": 0.5}), TypeError,
     r"hparams\['lr_scheduler'\] must be a callable optimizer -> lr_scheduler, got 0.5"),
    (dict(data=np.zeros((3, 64))), TypeError, "data must be a Split"),
    (dict(params=benchmark.mlp_init((3, 10))), ValueError, "params map 3 inputs to 10 outputs, but the data have "
                                                           "64 features and 10 classes"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(batch_size=151), ValueError, "batch_size must be <= 150, got 151"),
    (dict(seed=-2), ValueError, "seed must be >= 0, got -2"),
    (dict(framework="jax"), ValueError, "framework must be one of 'mxnet', 'torch'; got 'jax'"),
])
def test_train_mlp_torch_rejects_bad_arguments(small, init, kwargs, error, message):
    args = dict(framework="torch", optimizer=torch.optim.SGD, hparams={"lr": 0.1}, data=small, params=init)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        benchmark.train_mlp(**args)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(optimizer="adamw"), ValueError, "optimizer must be one of MXNet's optimizer names .*got 'adamw'"),
    (dict(hparams={"lr": 0.1}), ValueError, "hparams must be a dict with a 'learning_rate' entry"),
    (dict(data=None), TypeError, "data must be a Split"),
    (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
])
def test_train_mlp_gluon_rejects_bad_arguments(small, init, kwargs, error, message):
    args = dict(framework="mxnet", optimizer="sgd", hparams={"learning_rate": 0.1}, data=small, params=init)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        benchmark.train_mlp(**args)


OPTIMIZERS = {
    "Momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "Adam": (torch.optim.Adam, {}),
    "AdamW": (torch.optim.AdamW, {"weight_decay": 0.1}),
    "Adagrad": (torch.optim.Adagrad, {}),
}


@pytest.fixture(scope="module")
def sweep(small):
    return benchmark.lr_sweep(OPTIMIZERS, [0.01, 0.1, 1e30], [0, 1], small.X_train, small.y_train, sizes=(64, 8, 10),
                              epochs=2, batch_size=32, X_test=small.X_test, y_test=small.y_test)


def test_lr_sweep_equals_separate_runs(sweep, small):
    # The batched sweep with the lr = 1 step rescaled per network must reproduce ordinary torch.optim runs.
    assert sweep.losses.shape == sweep.diverged.shape == sweep.accuracy.shape == (4, 2, 3)
    for i, (name, (cls, hp)) in enumerate(OPTIMIZERS.items()):
        for k, seed in enumerate((0, 1)):
            for j, lr in enumerate((0.01, 0.1)):
                h = benchmark.train_mlp("torch", cls, {"lr": lr, **hp}, small, benchmark.mlp_init((64, 8, 10), seed),
                                        epochs=2, batch_size=32, seed=seed)
                assert sweep.losses[i, k, j] == pytest.approx(h.final_loss, rel=1e-4), (name, seed, lr)
                assert sweep.accuracy[i, k, j] == pytest.approx(h.final_acc)


def test_lr_sweep_flags_divergence_and_picks_the_best_rate(sweep):
    assert sweep.diverged[:, :, 2].all() and not sweep.diverged[:, :, :2].any()
    for name in OPTIMIZERS:
        med = sweep.median(name)
        assert med[2] == np.inf and np.all(np.isfinite(med[:2]))
        assert sweep.best_lr(name) == sweep.lrs[int(np.argmin(med[:2]))]
    with pytest.raises(ValueError, match="unknown optimizer 'SGD'; the sweep has 'Momentum', 'Adam', 'AdamW', "
                                         "'Adagrad'"):
        sweep.best_lr("SGD")
    only_bad = benchmark.Sweep(("a",), np.array([1.0]), (0,), np.array([[[np.nan]]]), np.array([[[True]]]))
    with pytest.raises(ValueError, match="every learning rate diverged for 'a'"):
        only_bad.best_lr("a")


def test_lr_sweep_regression_matches_the_harness():
    data = d2l.synthetic_linear_data(n=100, seed=1)
    w0, b0 = d2l.initial_params(2)
    decay = d2l.step_decay(1, 0.1)
    sweep = benchmark.lr_sweep({"SGD": (torch.optim.SGD, {}), "RMSProp": (torch.optim.RMSprop, {"alpha": 0.9})},
                               [0.05, 0.2], [0, 3], data.features, data.labels, loss="squared", epochs=2,
                               batch_size=10, init=lambda seed: [w0.T, b0], schedule=decay)
    assert sweep.accuracy is None and sweep.losses.shape == (2, 2, 2)
    for i, cls, hp in ((0, torch.optim.SGD, {}), (1, torch.optim.RMSprop, {"alpha": 0.9})):
        for k, seed in enumerate((0, 3)):
            for j, lr in enumerate((0.05, 0.2)):
                r = d2l.train("torch", cls, {"lr": lr, **hp}, data, 10, epochs=2, schedule=decay, seed=seed,
                              verbose=False)
                assert sweep.losses[i, k, j] == pytest.approx(r.final_loss, rel=1e-4), (cls, seed, lr)
    assert not sweep.diverged.any()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(optimizers={}), ValueError, "optimizers must be a non-empty dict"),
    (dict(optimizers={"a": torch.optim.SGD}), TypeError, r"optimizers\['a'\] must be a pair"),
    (dict(optimizers={"a": (torch.optim.SGD, {"lr": 1})}), ValueError,
     r"optimizers\['a'\]: the hyperparameters must be a dict without 'lr'"),
    (dict(lrs=[]), ValueError, "lrs and seeds must not be empty"),
    (dict(lrs=[0.1, -1]), ValueError, "each learning rate must be a finite number > 0, got -1.0"),
    (dict(seeds=[-1]), ValueError, "each seed must be >= 0, got -1"),
    (dict(loss="hinge"), ValueError, "loss must be one of 'cross_entropy', 'squared'; got 'hinge'"),
    (dict(y=np.zeros(3)), ValueError, r"X must have shape \(n, d\) and y shape \(n,\), got \(150, 64\) and \(3,\)"),
    (dict(sizes=(32, 10)), ValueError, r"sizes \(32, 10\) do not fit 64 features and the cross_entropy loss"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    (dict(X_test=np.zeros((2, 64))), ValueError, "pass both X_test and y_test, or neither"),
    (dict(X_test=np.zeros((2, 5)), y_test=np.zeros(2)), ValueError, r"held-out data need the cross_entropy loss"),
    (dict(init=3), TypeError, "init must be a callable seed -> params or None, got 3"),
    (dict(schedule="cosine"), TypeError, r"schedule must be a callable \(epoch, lr\) -> lr or None, got 'cosine'"),
    (dict(init=lambda seed: benchmark.mlp_init((64, 4, 10), seed)), ValueError,
     r"init\(0\) must return parameters of the layer sizes \(64, 32, 10\)"),
])
def test_lr_sweep_rejects_bad_arguments(small, kwargs, error, message):
    args = dict(optimizers={"SGD": (torch.optim.SGD, {})}, lrs=[0.1], seeds=[0], X=small.X_train, y=small.y_train,
                epochs=1)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        benchmark.lr_sweep(**args)


def test_format_loss():
    assert benchmark.format_loss(0.00123456) == " 0.001235"
    assert benchmark.format_loss(41.387) == "    41.39"
    assert benchmark.format_loss(float("inf"), 10) == "  diverged"
    assert benchmark.format_loss(np.float32("nan")) == " diverged"
    assert benchmark.format_loss(3, 1) == "3"
    with pytest.raises(TypeError, match="value must be a real number, got str '0.1'"):
        benchmark.format_loss("0.1")
    with pytest.raises(ValueError, match="width must be >= 1, got 0"):
        benchmark.format_loss(0.1, 0)


def test_print_table_aligns_and_formats(capsys):
    benchmark.print_table(["name", "eta", "loss", "note"], [["SGD", 1, 0.00255812, None],
                                                           ["Adam", 0.03, float("nan"), "x"]])
    assert capsys.readouterr().out.splitlines() == [
        "name   eta      loss  note",
        "SGD      1  0.002558     -",
        "Adam  0.03  diverged     x",
    ]
    assert benchmark.format_value(np.float32(2.5)) == "2.5" and benchmark.format_value("a") == "a"
    with pytest.raises(ValueError, match="header must name at least one column"):
        benchmark.print_table([], [])
    with pytest.raises(ValueError, match="row 1 has 1 cells for 2 columns"):
        benchmark.print_table(["a", "b"], [[1, 2], [3]])


def test_plot_sweep_marks_divergence_and_the_best_rate(sweep):
    benchmark.plot_sweep(sweep, cap=5.0, ncols=2)
    axes = [ax for ax in plt.gcf().axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == list(OPTIMIZERS)
    assert len(plt.gcf().axes) == 4 and all(ax.get_xscale() == ax.get_yscale() == "log" for ax in axes)
    for ax in axes:
        crosses = [line for line in ax.get_lines() if line.get_marker() == "x" and len(line.get_xdata())]
        dots = [line for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata())]
        assert len(crosses) == 1 and list(crosses[0].get_xdata()) == [1e30] and list(crosses[0].get_ydata()) == [5.0]
        assert len(dots) == 1 and dots[0].get_xdata()[0] in (0.01, 0.1)


def test_plot_sweep_rejects_bad_arguments(sweep):
    with pytest.raises(TypeError, match="sweep must be a Sweep"):
        benchmark.plot_sweep({"a": 1})
    with pytest.raises(ValueError, match="cap must be a finite number > 0, got 0.0"):
        benchmark.plot_sweep(sweep, cap=0)
    with pytest.raises(ValueError, match="ncols must be >= 1, got 0"):
        benchmark.plot_sweep(sweep, ncols=0)


def test_plot_histories_draws_loss_and_accuracy():
    ok = d2l.Run("ok", np.array([0.0, 1.0, 2.0]), np.array([2.0, 1.0, 0.5]), [0.1, 0.1], [],
                 {"accuracy": np.array([0.1, 0.8, 0.9])})
    bad = d2l.Run("bad", np.array([0.0, 0.4]), np.array([2.0, np.inf]), [10.0, 10.0], [],
                  {"accuracy": np.array([0.1, np.nan])}, "diverged at epoch 1, step 2: loss = inf")
    benchmark.plot_histories([ok, bad])
    loss_ax, acc_ax = plt.gcf().axes
    assert loss_ax.get_yscale() == "log" and acc_ax.get_ylabel() == "held-out accuracy (%)"
    np.testing.assert_allclose(acc_ax.get_lines()[0].get_ydata(), [10, 80, 90])
    assert [t.get_text() for t in plt.gcf().legends[0].get_texts()] == ["ok", "bad"]
    assert any(line.get_marker() == "x" for line in loss_ax.get_lines())
    assert len(acc_ax.get_lines()[1].get_ydata()) == 1  # the diverged run is drawn up to its last finite loss
    with pytest.raises(ValueError, match="histories must be a non-empty list of Run objects"):
        benchmark.plot_histories([])
    with pytest.raises(TypeError, match="histories must contain Run objects, got dict"):
        benchmark.plot_histories([{}])

"""Tests of d2l_utils.frameworks: the registry, lazy imports, and each framework module behind one interface."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from d2l_utils import frameworks
from d2l_utils.frameworks import NAMES, REGISTRY, Framework, available, get

ROOT = Path(__file__).resolve().parent.parent

#: What d2l_utils/frameworks/__init__.py's docstring says every framework module defines.
INTERFACE = ("NAME", "LR_KEY", "seed", "params", "to_numpy", "array", "linear", "mlp", "gradient", "scratch_update",
             "optimizer", "set_lr", "library_step", "describe")
#: Names the docstring writes as calls that are not module functions: model methods and the update rule.
NOT_MODULE_FUNCTIONS = {"mean_loss", "evaluate", "update"}

installed = [pytest.param(name, marks=pytest.mark.skipif(not available(name), reason=f"{name} not installed"))
             for name in NAMES]


def plain_sgd(name, lr):
    """The framework's own plain SGD: (optimizer, hparams) for fw.optimizer."""
    if name == "mxnet":
        return "sgd", {"learning_rate": lr}
    import torch
    return torch.optim.SGD, {"lr": lr}


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(7, 3)).astype(np.float32)
    y = rng.normal(size=7).astype(np.float32)
    w = rng.normal(size=(3, 1)).astype(np.float32)
    b = np.array([0.3], np.float32)
    return X, y, w, b


def analytic(X, y, w, b):
    """Mean loss mean((X w + b - y)^2) / 2 and its gradients, in float64."""
    X, y, w = X.astype(np.float64), y.astype(np.float64), w.astype(np.float64).reshape(-1)
    r = X @ w + float(b[0]) - y
    return float(np.mean(r**2) / 2), X.T @ r / len(y), float(np.mean(r))


def test_names_are_the_registry_in_order():
    assert NAMES == tuple(REGISTRY) == ("mxnet", "torch")
    assert all(isinstance(f, Framework) and f.package and f.label for f in REGISTRY.values())
    assert [REGISTRY[n].label for n in NAMES] == ["MXNet", "PyTorch"]


def test_every_registered_framework_has_its_module():
    for name in NAMES:
        assert importlib.util.find_spec(f"d2l_utils.frameworks.{name}") is not None, name


def notebook_cells():
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            yield path.name, i, cell


def test_the_notebooks_framework_tags_are_the_registry_names():
    tags = {t for _, _, cell in notebook_cells() for t in cell.get("metadata", {}).get("tags", [])}
    assert tags, "no tagged cells found in chapters/*.ipynb"
    framework_tags = tags - {"raises-exception"}
    assert framework_tags <= set(NAMES), f"framework tags not in the registry: {sorted(framework_tags - set(NAMES))}"
    assert set(NAMES) <= framework_tags, f"registered but never used as a tag: {sorted(set(NAMES) - framework_tags)}"


def test_framework_cells_name_their_own_framework():
    # d2l.train('torch', ...), train_mlp('mxnet', ...), framework='torch' in a cell tagged with a framework.
    call = re.compile(r"""(?:\b(?:train|train_mlp|mlp)\(\s*|\bframework\s*=\s*)['"](\w+)['"]""")
    for notebook, i, cell in notebook_cells():
        if cell["cell_type"] != "code":
            continue
        named = set(call.findall("".join(cell["source"])))
        assert named <= set(NAMES), f"{notebook} cell {i} names unknown frameworks {sorted(named - set(NAMES))}"
        tagged = set(cell.get("metadata", {}).get("tags", [])) & set(NAMES)
        if tagged:
            assert named <= tagged, f"{notebook} cell {i} is tagged {sorted(tagged)} but runs {sorted(named)}"


def test_unknown_framework_is_rejected_with_the_allowed_names():
    for function in (get, available):
        with pytest.raises(ValueError, match=re.escape("framework must be one of 'mxnet', 'torch'; got 'jax'")):
            function("jax")
    with pytest.raises(ValueError, match="framework must be one of"):
        get("Torch")


def test_an_uninstalled_framework_is_unavailable_and_get_says_why(monkeypatch):
    monkeypatch.setitem(REGISTRY, "fake", Framework(package="d2l_no_such_package", label="Fake"))
    monkeypatch.setattr(frameworks, "NAMES", (*NAMES, "fake"))
    assert available("fake") is False
    message = "framework 'fake' needs the package 'd2l_no_such_package', which is not installed here"
    with pytest.raises(ModuleNotFoundError, match=f"^{re.escape(message)}$") as err:
        get("fake")
    assert err.value.name == "d2l_no_such_package"


def test_available_and_get_for_installed_frameworks():
    for name in NAMES:
        assert available(name) is (importlib.util.find_spec(REGISTRY[name].package) is not None)
        if available(name):
            assert get(name) is get(name) and get(name).__name__ == f"d2l_utils.frameworks.{name}"


def test_importing_the_package_imports_no_framework():
    code = ("import sys, d2l_utils; print('mxnet' in sys.modules, 'torch' in sys.modules)\n"
            "import d2l_utils.benchmark, d2l_utils.training, d2l_utils.frameworks as f\n"
            "[f.available(n) for n in f.NAMES]\n"
            "print('mxnet' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["False False", "False False"]


def test_the_docstring_lists_the_interface():
    doc = frameworks.__doc__
    documented = set(re.findall(r"``(\w+)\(", doc)) - NOT_MODULE_FUNCTIONS
    assert documented == set(INTERFACE) - {"NAME", "LR_KEY"}
    assert "``NAME``" in doc


@pytest.mark.parametrize("name", installed)
def test_each_framework_module_exposes_the_interface(name):
    fw = get(name)
    missing = [attr for attr in INTERFACE if not hasattr(fw, attr)]
    assert not missing, f"d2l_utils/frameworks/{name}.py lacks {missing}"
    assert fw.NAME == name
    assert all(callable(getattr(fw, attr)) for attr in INTERFACE if attr not in ("NAME", "LR_KEY"))


@pytest.mark.parametrize("name", installed)
def test_arrays_and_params_round_trip_through_numpy(name, problem):
    fw = get(name)
    X, y, w, b = problem
    for a in (X, y):
        back = fw.to_numpy(fw.array(a))
        assert back.dtype == np.float32
        np.testing.assert_array_equal(back, a)
    params = fw.params([w, b])
    assert len(params) == 2
    np.testing.assert_array_equal(fw.to_numpy(params[0]), w)
    np.testing.assert_array_equal(fw.to_numpy(params[1]), b)
    model = fw.linear(w, b)
    assert [fw.to_numpy(p).shape for p in model.params] == [(3, 1), (1,)]


def capture_grads(fw, model):
    """The gradients a from-scratch rule sees, through scratch_update."""
    grads = []
    fw.scratch_update(lambda params, states, hp: states.extend(fw.to_numpy(p.grad).copy() for p in params),
                      model, grads, {})
    return grads


@pytest.mark.parametrize("name", installed)
def test_gradient_is_the_analytic_gradient_of_the_mean_loss(name, problem):
    fw = get(name)
    X, y, w, b = problem
    model = fw.linear(w, b)
    loss = fw.gradient(model, fw.array(X), fw.array(y))
    expected_loss, gw, gb = analytic(X, y, w, b)
    assert isinstance(loss, float) and loss == pytest.approx(expected_loss, rel=1e-6)
    grad_w, grad_b = capture_grads(fw, model)
    np.testing.assert_allclose(grad_w.reshape(-1), gw, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad_b.reshape(-1), [gb], rtol=1e-5, atol=1e-6)
    # A second call gives the same gradient: it is not accumulated over calls.
    fw.gradient(model, fw.array(X), fw.array(y))
    np.testing.assert_allclose(capture_grads(fw, model)[0].reshape(-1), gw, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", installed)
def test_scratch_update_changes_the_parameters_in_place(name, problem):
    fw = get(name)
    X, y, w, b = problem
    model = fw.linear(w, b)
    fw.gradient(model, fw.array(X), fw.array(y))
    _, gw, gb = analytic(X, y, w, b)

    def sgd(params, states, hp):
        for p in params:
            if name == "mxnet":
                p[:] -= hp["lr"] * p.grad
            else:
                p -= hp["lr"] * p.grad

    fw.scratch_update(sgd, model, [], {"lr": 0.1})
    np.testing.assert_allclose(fw.to_numpy(model.params[0]).reshape(-1), w.reshape(-1) - 0.1 * gw, rtol=1e-5)
    np.testing.assert_allclose(fw.to_numpy(model.params[1]), b - 0.1 * gb, rtol=1e-5)


@pytest.mark.parametrize("name", installed)
def test_library_step_with_plain_sgd_is_one_gradient_descent_step(name, problem):
    fw = get(name)
    X, y, w, b = problem
    model = fw.linear(w, b)
    optimizer, hparams = plain_sgd(name, 0.1)
    opt = fw.optimizer(optimizer, hparams, model)
    loss, lr = fw.library_step(opt, model, fw.array(X), fw.array(y))
    expected_loss, gw, gb = analytic(X, y, w, b)
    assert loss == pytest.approx(expected_loss, rel=1e-6) and lr == pytest.approx(0.1)
    w1, b1 = w.reshape(-1) - 0.1 * gw, b[0] - 0.1 * gb
    np.testing.assert_allclose(fw.to_numpy(model.params[0]).reshape(-1), w1, rtol=1e-5)
    np.testing.assert_allclose(fw.to_numpy(model.params[1]), [b1], rtol=1e-5)
    # set_lr changes the rate of the next step, and library_step reports it.
    fw.set_lr(opt, 0.05)
    loss2, lr2 = fw.library_step(opt, model, fw.array(X), fw.array(y))
    expected_loss2, gw2, gb2 = analytic(X, y, w1.reshape(-1, 1).astype(np.float32), np.array([b1], np.float32))
    assert lr2 == pytest.approx(0.05) and loss2 == pytest.approx(expected_loss2, rel=1e-5)
    np.testing.assert_allclose(fw.to_numpy(model.params[0]).reshape(-1), w1 - 0.05 * gw2, rtol=1e-5)


@pytest.mark.parametrize("name", installed)
def test_mlp_models_evaluate_loss_and_accuracy(name):
    fw = get(name)
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(4, 3)).astype(np.float32), np.zeros(4, np.float32),
              rng.normal(size=(2, 4)).astype(np.float32), np.array([0.1, -0.1], np.float32)]
    X = rng.normal(size=(6, 3)).astype(np.float32)
    y = np.array([0, 1, 1, 0, 1, 0], np.int64)
    model = fw.mlp(arrays)
    assert len(model.params) == 4
    for p, a in zip(model.params, arrays, strict=True):
        np.testing.assert_array_equal(fw.to_numpy(p), a)
    logits = np.maximum(X @ arrays[0].T + arrays[1], 0) @ arrays[2].T + arrays[3]
    logits = logits.astype(np.float64)
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss, acc = model.evaluate(X, y, X[:4], y[:4])
    assert loss == pytest.approx(-log_softmax[np.arange(6), y].mean(), rel=1e-5)
    assert acc == pytest.approx(np.mean(logits[:4].argmax(axis=1) == y[:4]))


def test_describe_names_the_optimizer():
    if available("torch"):
        import torch
        assert get("torch").describe(torch.optim.SGD) == "torch (SGD)"
    if available("mxnet"):
        assert get("mxnet").describe("adam") == "gluon (adam)"



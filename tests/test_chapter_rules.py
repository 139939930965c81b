"""Each chapter's from-scratch update rule is the formula of d2l_utils.reference ('textbook' convention).

The rules are read from the chapters themselves: the PyTorch cell that defines a rule is parsed and only
that function is executed, so the test checks the very code the book prints. Each rule runs for 50 steps on
a quadratic in float64 next to the reference implementation; the iterates must agree to 1e-10.
"""
from __future__ import annotations

import ast
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from d2l_utils import reference

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
STEPS = 50
A = np.diag([0.2, 1.0, 4.0]) + 0.1  # a positive definite Hessian with off-diagonal terms
X0 = np.array([-5.0, -2.0, 1.0])


def rule(notebook: str, name: str):
    """The function ``name`` as defined in a ``torch``-tagged cell of ``chapters/<notebook>``."""
    nb = nbformat.read(CHAPTERS / notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "torch" not in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace = {"torch": torch, "math": math, "np": np}
                exec(compile(ast.Module([node], []), f"{notebook}:{name}", "exec"), namespace)
                return namespace[name]
    raise LookupError(f"{notebook} defines no {name}() in a torch cell")


def run(update, states, hparams) -> np.ndarray:
    """Apply a chapter's rule ``STEPS`` times to one float64 parameter on f(x) = x^T A x / 2."""
    x = torch.tensor(X0, dtype=torch.float64)
    H = torch.tensor(A)
    trajectory = [x.clone()]
    for _ in range(STEPS):
        x.grad = H @ x
        with torch.no_grad():
            update([x], states, hparams)
        trajectory.append(x.detach().clone())
    return torch.stack(trajectory).numpy()


def zeros() -> torch.Tensor:
    return torch.zeros(len(X0), dtype=torch.float64)


CASES = {
    "sgd (ch 3)": ("03_sgd.ipynb", "sgd", lambda: [], {"lr": 0.1},
                   lambda: reference.sgd(grad, X0, STEPS, lr=0.1)),
    "momentum (ch 5)": ("05_momentum.ipynb", "momentum_torch", lambda: [zeros()], {"lr": 0.1, "beta": 0.9},
                        lambda: reference.momentum(grad, X0, STEPS, lr=0.1, beta=0.9)),
    "adagrad (ch 6)": ("06_adagrad.ipynb", "adagrad_torch", lambda: [zeros()], {"lr": 0.5, "eps": 1e-2},
                       lambda: reference.adagrad(grad, X0, STEPS, lr=0.5, eps=1e-2)),
    "rmsprop (ch 7)": ("07_rmsprop.ipynb", "rmsprop_torch", lambda: [zeros()],
                       {"lr": 0.05, "gamma": 0.9, "eps": 1e-2},
                       lambda: reference.rmsprop(grad, X0, STEPS, lr=0.05, gamma=0.9, eps=1e-2)),
    "adam (ch 8)": ("08_adam.ipynb", "adam", lambda: {"t": 0, "moments": [(zeros(), zeros())]},
                    {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-2},
                    lambda: reference.adam(grad, X0, STEPS, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-2)),
    "adadelta (ch 9)": ("09_adadelta.ipynb", "adadelta", lambda: [(zeros(), zeros())], {"rho": 0.9, "eps": 1e-2},
                        lambda: reference.adadelta(grad, X0, STEPS, rho=0.9, eps=1e-2)),
}


def grad(x: np.ndarray) -> np.ndarray:
    return A @ x


@pytest.mark.parametrize("case", CASES)
def test_chapter_rule_is_the_reference_formula(case):
    notebook, name, states, hparams, expected = CASES[case]
    trajectory = run(rule(notebook, name), states(), hparams)
    np.testing.assert_allclose(trajectory, expected(), rtol=0, atol=1e-10)
    assert np.abs(trajectory[-1] - trajectory[0]).max() > 0.1  # the rule moved x: the check is not vacuous


def test_chapter_10_mxnet_rates_are_the_sweeps_choice():
    """Chapter 10's MXNet cell restates the rates that the PyTorch sweep selects (an MXNet-only reader has no
    sweep). They must equal the tuned rates that the sweep's table prints; nbval keeps that table current."""
    nb = nbformat.read(CHAPTERS / "10_choosing_an_optimizer.ipynb", as_version=4)
    restated = printed = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if "mxnet" in tags and cell.source.lstrip("# \n").count("tuned = {"):
            tree = ast.parse(cell.source)
            restated = ast.literal_eval(next(n.value for n in tree.body if isinstance(n, ast.Assign)))
        text = "".join(o.get("text", "") for o in cell.outputs)
        if "torch" in tags and text.startswith("optimizer   eta") and "diverges" in text:
            printed = {row.split()[0]: float(row.split()[1]) for row in text.splitlines()[1:]}
    assert restated and printed, "the MXNet rates or the sweep's table is missing from chapter 10"
    assert restated == {name: eta for name, eta in printed.items() if name in restated}
    assert set(printed) - set(restated) == {"AdamW"}  # MXNet has no AdamW

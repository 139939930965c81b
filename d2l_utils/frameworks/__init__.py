"""The registry of the deep-learning frameworks the book runs, and the one interface each implements.

Every framework lives in one module of this package, ``d2l_utils/frameworks/<name>.py``, and is named once,
in :data:`REGISTRY` with the package it needs and the label the book shows. The name is also the cell tag of
the notebooks' framework cells, a choice of the book's framework switcher (``_ext/book_assets.py`` hands the
registry to ``_static/framework-switch.js``) and the suffix of the single-framework notebooks, all read from
here. Adding a framework
means adding its module and an entry below, and nothing else in ``d2l_utils``.

A framework module defines, in terms of its own arrays:

* ``NAME`` (its registry name), ``LR_KEY`` (the name of the learning rate among its optimizer's arguments);
* ``seed(s)`` -- seed the framework's global generator;
* ``params(arrays)`` -- trainable parameters from NumPy arrays; ``to_numpy(x)`` -- back to NumPy;
* ``array(a)`` -- a constant array (a minibatch) from NumPy;
* ``linear(w, b)`` and ``mlp(params)`` -- the book's two models, objects with ``.params`` (and a loss that
  only the module's own functions use); the MLP also has ``evaluate(X, y, X_test, y_test) -> (loss,
  accuracy)``;
* ``gradient(model, X, y)`` -- fill every parameter's ``.grad`` with the gradient of the mean minibatch loss
  and return that loss as a float;
* ``scratch_update(update, model, states, hparams)`` -- call a from-scratch update rule
  ``update(params, states, hparams)`` on the parameters (and clear the gradients if the framework needs it);
* ``optimizer(optimizer, hparams, model)`` -- the framework's own optimizer (checked), ``set_lr(opt, lr)``;
* ``library_step(opt, model, X, y) -> (loss, lr)`` -- one step of that optimizer on a minibatch, returning
  the mean minibatch loss and the learning rate the step used;
* ``describe(optimizer)`` -- the optimizer's name for a default run label.
"""
from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import NamedTuple

from d2l_utils._checks import check_choice


class Framework(NamedTuple):
    """A registered framework: the Python package its module needs and the name the book shows."""

    package: str
    label: str


#: Cell tag / module name -> framework. The order is the order of the framework cells in a chapter.
REGISTRY: dict[str, Framework] = {
    "mxnet": Framework(package="mxnet", label="MXNet"),
    "torch": Framework(package="torch", label="PyTorch"),
}

#: The framework names, which are also the notebooks' cell tags.
NAMES: tuple[str, ...] = tuple(REGISTRY)


def available(name: str) -> bool:
    """True if the package behind framework ``name`` is installed (without importing it).

    Raises:
        ValueError: for a name that is not in :data:`REGISTRY`.
    """
    check_choice("framework", name, NAMES)
    return importlib.util.find_spec(REGISTRY[name].package) is not None


def get(name: str) -> ModuleType:
    """The module of framework ``name``, imported on first use.

    Raises:
        ValueError: for a name that is not in :data:`REGISTRY`.
        ModuleNotFoundError: if the framework's package is not installed, with a message that says so.
    """
    check_choice("framework", name, NAMES)
    if not available(name):
        package = REGISTRY[name].package
        raise ModuleNotFoundError(f"framework {name!r} needs the package {package!r}, which is not installed "
                                  f"here", name=package)
    return importlib.import_module(f"d2l_utils.frameworks.{name}")

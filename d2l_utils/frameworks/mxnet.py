"""MXNet behind the interface of :mod:`d2l_utils.frameworks`: NDArrays, autograd and ``gluon.Trainer``.

Gluon's convention is kept where the book teaches it: a library step differentiates the *sum* of the
per-example losses and ``trainer.step(batch_size)`` rescales the gradient by ``1 / batch_size``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd

NAME = "mxnet"
LR_KEY = "learning_rate"  # the name of the learning rate among the optimizer's keyword arguments


def seed(s: int) -> None:
    mx.random.seed(s)


def array(a: np.ndarray) -> nd.NDArray:
    return nd.array(a)  # float32, labels too: what Gluon's losses expect


def params(arrays: list[np.ndarray]) -> list[gluon.Parameter]:
    out = []
    for i, a in enumerate(arrays):
        p = gluon.Parameter(f"p{i}", shape=a.shape, init=mx.init.Zero())
        p.initialize()
        p.set_data(nd.array(a))
        out.append(p)
    return out


def to_numpy(x: Any) -> np.ndarray:
    if isinstance(x, gluon.Parameter):
        x = x.data()
    return x.asnumpy() if isinstance(x, nd.NDArray) else np.asarray(x)


class Linear:
    """``y_hat = X w + b`` with the loss ``(y_hat - y)^2 / 2``; ``w`` has shape ``(d, 1)``.

    From-scratch rules see the parameters as NDArrays with attached gradients (``p.grad``); Gluon's
    ``Trainer`` sees them as ``gluon.Parameter`` objects holding the same numbers.
    """

    def __init__(self, w: np.ndarray, b: np.ndarray) -> None:
        self.w, self.b = params([w, b])
        self.params = [self.w, self.b]
        self.arrays = [p.data() for p in self.params]  # what a from-scratch rule updates

    def losses(self, X: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
        return (nd.dot(X, self.w.data()) + self.b.data() - y.reshape((-1, 1))) ** 2 / 2


class MLP:
    """A ReLU perceptron (``nn.HybridSequential`` of ``nn.Dense``) with the cross-entropy loss, hybridized
    (compiled into a static graph, which changes the speed, not the numbers)."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        sizes = [arrays[0].shape[1]] + [W.shape[0] for W in arrays[::2]]
        self.net = gluon.nn.HybridSequential()
        last = len(sizes) - 2
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            self.net.add(gluon.nn.Dense(fan_out, activation=None if i == last else "relu", in_units=fan_in))
        self.net.initialize()
        for p, value in zip(self.net.collect_params().values(), arrays, strict=True):
            p.set_data(nd.array(np.asarray(value, dtype=np.float32)))
        self.params = list(self.net.collect_params().values())
        self.loss = gluon.loss.SoftmaxCrossEntropyLoss()
        for block in (self.net, self.loss):
            block.hybridize(static_alloc=True, static_shape=True)

    def losses(self, X: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
        return self.loss(self.net(X), y)

    def evaluate(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
        loss = float(self.losses(nd.array(X), nd.array(y)).mean().asscalar())
        predicted = self.net(nd.array(X_test)).argmax(axis=1).asnumpy().astype(np.int64)
        return loss, float((predicted == y_test).mean())


def linear(w: np.ndarray, b: np.ndarray) -> Linear:
    return Linear(w, b)


def mlp(arrays: list[np.ndarray]) -> MLP:
    return MLP(arrays)


def gradient(model: Any, X: nd.NDArray, y: nd.NDArray) -> float:
    with autograd.record():
        loss = model.losses(X, y).mean()
    loss.backward()
    return float(loss.asscalar())


def scratch_update(update: Callable, model: Any, states: Any, hparams: dict) -> None:
    update(model.arrays, states, hparams)


def optimizer(optimizer: Any, hparams: Mapping[str, Any], model: Any) -> gluon.Trainer:
    """``gluon.Trainer(params, optimizer, hparams)``.

    ``hparams['learning_rate']`` is required, except for ``'adadelta'``, whose update MXNet computes without
    a learning rate.

    Raises:
        ValueError: on an optimizer name MXNet does not know, or ``hparams`` without ``'learning_rate'``.
    """
    known = tuple(sorted(mx.optimizer.Optimizer.opt_registry))
    if not isinstance(optimizer, str) or optimizer.lower() not in known:
        raise ValueError(f"optimizer must be one of MXNet's optimizer names ({', '.join(known)}); "
                         f"got {optimizer!r}")
    if not isinstance(hparams, Mapping) or ("learning_rate" not in hparams and optimizer.lower() != "adadelta"):
        raise ValueError(f"hparams must be a dict with a 'learning_rate' entry, got {hparams!r}")
    return gluon.Trainer(model.params, optimizer, dict(hparams))


def set_lr(opt: gluon.Trainer, lr: float) -> None:
    opt.set_learning_rate(lr)


def library_step(opt: gluon.Trainer, model: Any, X: nd.NDArray, y: nd.NDArray) -> tuple[float, float]:
    with autograd.record():
        losses = model.losses(X, y)  # one loss per example
    losses.backward()  # the gradient of their sum
    opt.step(X.shape[0])  # rescaled by 1 / batch size
    return float(losses.mean().asscalar()), opt.learning_rate  # the rate this update used


def describe(optimizer: Any) -> str:
    return f"gluon ({optimizer})"

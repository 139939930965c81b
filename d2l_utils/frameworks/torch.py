"""PyTorch behind the interface of :mod:`d2l_utils.frameworks`: tensors, autograd and ``torch.optim``."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

NAME = "torch"
LR_KEY = "lr"  # the name of the learning rate among the optimizer's keyword arguments


def seed(s: int) -> None:
    torch.manual_seed(s)


def array(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a))


def params(arrays: list[np.ndarray]) -> list[torch.Tensor]:
    return [torch.from_numpy(np.array(a, dtype=np.float32)).requires_grad_(True) for a in arrays]


def to_numpy(x: Any) -> np.ndarray:
    return x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


class Linear:
    """``y_hat = X w + b`` with the loss ``(y_hat - y)^2 / 2``; ``w`` has shape ``(d, 1)``."""

    def __init__(self, w: np.ndarray, b: np.ndarray) -> None:
        self.params = params([w, b])

    def mean_loss(self, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        w, b = self.params
        return ((X @ w + b - y.reshape(-1, 1)) ** 2 / 2).mean()


class MLP:
    """A ReLU perceptron (``nn.Sequential`` of ``nn.Linear``) with the cross-entropy loss."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        sizes = [arrays[0].shape[1]] + [W.shape[0] for W in arrays[::2]]
        layers: list[nn.Module] = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        self.net = nn.Sequential(*layers[:-1])
        with torch.no_grad():
            for p, value in zip(self.net.parameters(), arrays, strict=True):
                p.copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))
        self.params = list(self.net.parameters())

    def mean_loss(self, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(self.net(X), y)

    def evaluate(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray) -> tuple[float, float]:
        with torch.no_grad():
            loss = self.mean_loss(array(X), array(y)).item()
            hits = self.net(array(X_test)).argmax(dim=1) == array(y_test)
        return loss, hits.double().mean().item()


def linear(w: np.ndarray, b: np.ndarray) -> Linear:
    return Linear(w, b)


def mlp(arrays: list[np.ndarray]) -> MLP:
    return MLP(arrays)


def gradient(model: Any, X: torch.Tensor, y: torch.Tensor) -> float:
    for p in model.params:
        p.grad = None
    loss = model.mean_loss(X, y)
    loss.backward()
    return loss.item()


def scratch_update(update: Callable, model: Any, states: Any, hparams: dict) -> None:
    with torch.no_grad():  # the rule changes the parameters in place, outside the graph
        update(model.params, states, hparams)


def optimizer(optimizer: Any, hparams: Mapping[str, Any], model: Any) -> Any:
    """``optimizer(params, **hparams)`` for a ``torch.optim`` class; ``hparams['lr']`` is required.

    ``hparams`` may hold ``'lr_scheduler'``: a callable ``optimizer -> torch.optim.lr_scheduler`` object,
    stepped after every update (as MXNet steps an ``lr_scheduler`` passed to ``gluon.Trainer``).

    Raises:
        TypeError: if ``optimizer`` is not a ``torch.optim.Optimizer`` class or the scheduler not callable.
        ValueError: if ``hparams`` has no ``'lr'``.
    """
    if not (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer class such as torch.optim.SGD, "
                        f"got {optimizer!r}")
    if not isinstance(hparams, Mapping) or "lr" not in hparams:
        raise ValueError(f"hparams must be a dict with an 'lr' entry, got {hparams!r}")
    hparams = dict(hparams)
    make_scheduler = hparams.pop("lr_scheduler", None)
    if make_scheduler is not None and not callable(make_scheduler):
        raise TypeError(f"hparams['lr_scheduler'] must be a callable optimizer -> lr_scheduler, "
                        f"got {make_scheduler!r}")
    opt = optimizer(model.params, **hparams)
    opt.d2l_scheduler = make_scheduler(opt) if make_scheduler is not None else None
    return opt


def set_lr(opt: Any, lr: float) -> None:
    for group in opt.param_groups:
        group["lr"] = lr


def library_step(opt: Any, model: Any, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    loss = model.mean_loss(X, y)
    opt.zero_grad()
    loss.backward()
    lr = opt.param_groups[0]["lr"]
    opt.step()
    if opt.d2l_scheduler is not None:
        opt.d2l_scheduler.step()
    return loss.item(), lr


def describe(optimizer: Any) -> str:
    return f"torch ({getattr(optimizer, '__name__', optimizer)})"

"""One training harness for the three ways the book runs an optimizer on the linear-regression problem.

* :func:`train_scratch` -- an update function written from scratch, in MXNet (NDArray + autograd) or
  PyTorch, with its state and hyperparameters.
* :func:`train_gluon` -- MXNet's ``gluon.Trainer`` with an optimizer name and hyperparameters.
* :func:`train_torch` -- a ``torch.optim`` optimizer class and hyperparameters.

All three train the same model, ``y_hat = X w + b``, with the squared loss ``(y_hat - y)^2 / 2``, from the
same initial parameters, on the same minibatches in the same order (see
:func:`d2l_utils.data.minibatch_indices`). Each records the loss on the full data set every ``period``
examples, can change the learning rate at the start of every epoch (see :func:`step_decay`), and returns a
:class:`TrainResult` with the loss history and the final parameters.

Divergence is detected, not plotted as garbage: a run whose minibatch loss becomes inf or NaN stops at that
step and prints ``diverged at epoch 1, step 37: loss = inf``. A run whose full-data loss climbs above
``BLOWUP_FACTOR`` times its initial value is flagged with a printed warning but keeps going.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from d2l_utils._checks import check_choice, check_gluon_optimizer, check_int, check_positive
from d2l_utils.data import LinearData, epoch_order
from d2l_utils.plotting import plot
from d2l_utils.report import format_vector

#: A run whose full-data loss exceeds this multiple of its initial loss is flagged as blowing up.
BLOWUP_FACTOR = 100.0
#: Standard deviation of the initial weights (the bias starts at zero).
INIT_SCALE = 0.01

Schedule = Callable[[int, float], float]
FRAMEWORKS = ("mxnet", "torch")


@dataclass
class TrainResult:
    """What a training run produced.

    Attributes:
        name: a label for legends and tables.
        epochs: the x-axis of the loss history, in epochs (0 is the initial loss).
        losses: full-data loss at those points; a diverged run ends with its non-finite value.
        w, b: the final parameters (float64 copies).
        diverged: the divergence message, or None.
        blew_up: True if the loss rose above ``BLOWUP_FACTOR`` times its initial value.
    """

    name: str
    epochs: np.ndarray
    losses: np.ndarray
    w: np.ndarray
    b: float
    diverged: str | None = None
    blew_up: bool = False
    lrs: list[float] = field(default_factory=list)

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def step_decay(after: int = 2, factor: float = 0.1) -> Schedule:
    """A schedule that multiplies the learning rate by ``factor`` once ``after`` epochs are done.

    ``step_decay(2, 0.1)`` is the book's canonical schedule: epochs 1 and 2 use ``lr``, later ones ``0.1 lr``.

    Raises:
        ValueError: if ``after`` < 0 or ``factor`` is not a finite positive number.
    """
    after = check_int("after", after, minimum=0)
    factor = check_positive("factor", factor)

    def schedule(epoch: int, lr: float) -> float:
        return lr * factor if epoch >= after else lr

    return schedule


def initial_params(d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The initial ``w`` (shape ``(d, 1)``, N(0, 0.01^2)) and ``b`` (shape ``(1,)``, zero), as float32."""
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    return (rng.normal(scale=INIT_SCALE, size=(d, 1)).astype(np.float32), np.zeros(1, dtype=np.float32))


def _full_loss(data: LinearData, w: np.ndarray, b: np.ndarray) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        residual = data.features.astype(np.float64) @ w.astype(np.float64).reshape(-1) + float(b[0]) \
            - data.labels.astype(np.float64)
        return float(np.mean(residual**2) / 2)


def _check_common(data: Any, batch_size: Any, lr: Any, epochs: Any, period: Any, schedule: Any,
                  lr_name: str = "lr") -> tuple[int, float, int, int]:
    if not isinstance(data, LinearData):
        raise TypeError(f"data must be a LinearData (see synthetic_linear_data), got {type(data).__name__}")
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=data.n)
    lr = check_positive(lr_name, lr)
    epochs = check_int("epochs", epochs, minimum=1)
    if period is None:
        period = batch_size * max(1, 10 // batch_size)
    period = check_int("period", period, minimum=1)
    if period % batch_size:
        raise ValueError(f"period must be a multiple of the batch size {batch_size}, got {period}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a callable (epoch, lr) -> lr or None, got {schedule!r}")
    return batch_size, lr, epochs, period


class _Recorder:
    """Keeps the loss history, spots divergence and blow-up, and prints the outcome of a run."""

    def __init__(self, name: str, data: LinearData, w0: np.ndarray, b0: np.ndarray) -> None:
        self.name, self.data = name, data
        self.epochs, self.losses = [0.0], [_full_loss(data, w0, b0)]
        self.diverged: str | None = None
        self.blew_up = False

    def record(self, seen: int, w: np.ndarray, b: np.ndarray) -> None:
        loss = _full_loss(self.data, w, b)
        self.epochs.append(seen / self.data.n)
        self.losses.append(loss)
        if math.isfinite(loss) and loss > BLOWUP_FACTOR * self.losses[0] and not self.blew_up:
            self.blew_up = True
            print(f"warning: loss {loss:.4g} at epoch {seen / self.data.n:.2f} is over {BLOWUP_FACTOR:g}x "
                  f"its initial value {self.losses[0]:.4g}")

    def check_step(self, batch_loss: float, epoch: int, step: int, seen: int, w: np.ndarray,
                   b: np.ndarray) -> bool:
        """Return True (and record the blow-up) if the minibatch loss is no longer finite."""
        if math.isfinite(batch_loss):
            return False
        self.diverged = f"diverged at epoch {epoch + 1}, step {step + 1}: loss = {batch_loss}"
        print(self.diverged)
        self.epochs.append(seen / self.data.n)
        self.losses.append(batch_loss)
        return True

    def result(self, w: np.ndarray, b: np.ndarray, lrs: list[float]) -> TrainResult:
        w = w.astype(np.float64).reshape(-1)
        res = TrainResult(self.name, np.array(self.epochs), np.array(self.losses), w, float(b[0]),
                          self.diverged, self.blew_up, lrs)
        if self.diverged is None:
            learned = f"    w {format_vector(w)}, b {res.b:.4f}"
            true = f"true w {format_vector(self.data.true_w)}, b {self.data.true_b:.4f}"
            # One line when it fits a code box (79 characters), else the true values on a line of their own.
            sep = "; " if len(learned) + len(true) + 2 <= 79 else "\n    "
            print(f"{self.name}: loss {res.final_loss:.6f}\n{learned}{sep}{true}")
        return res


def _loop(data: LinearData, batch_size: int, lr: float, epochs: int, period: int,
          schedule: Schedule | None, seed: int, recorder: _Recorder, style: "_Style") -> list[float]:
    """The loop shared by all styles: shuffle, step through minibatches, record, watch for divergence."""
    rng = np.random.default_rng(seed)
    seen, lrs = 0, []
    for epoch in range(epochs):
        lr_epoch = schedule(epoch, lr) if schedule is not None else lr
        style.set_lr(lr_epoch)
        lrs.append(lr_epoch)
        # Permuting once per epoch and slicing is the same order as minibatch_indices(), and much faster
        # in MXNet than gathering every minibatch.
        style.begin_epoch(epoch_order(data.n, rng))
        for i, start in enumerate(range(0, data.n, batch_size)):
            stop = min(start + batch_size, data.n)
            batch_loss = style.step(start, stop)
            seen += stop - start
            if recorder.check_step(batch_loss, epoch, i, seen, *style.params()):
                return lrs
            if seen % period == 0:
                recorder.record(seen, *style.params())
    return lrs


class _Style:
    """How one style of training takes a step; the subclasses below hold the framework code."""

    def __init__(self, data: LinearData) -> None:
        self.data = data

    def set_lr(self, lr: float) -> None:
        raise NotImplementedError

    def begin_epoch(self, order: np.ndarray) -> None:
        raise NotImplementedError

    def step(self, start: int, stop: int) -> float:
        raise NotImplementedError

    def params(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


class _MXNetStyle(_Style):
    def __init__(self, data: LinearData, w, b) -> None:  # noqa: ANN001
        super().__init__(data)
        from mxnet import nd

        self.nd, self.w, self.b = nd, w, b

    def begin_epoch(self, order: np.ndarray) -> None:
        self.X = self.nd.array(self.data.features[order])
        self.y = self.nd.array(self.data.labels[order]).reshape((-1, 1))

    def batch_loss(self, start: int, stop: int):  # noqa: ANN201
        """Per-example losses of a minibatch (call inside autograd.record())."""
        w = self.w.data() if hasattr(self.w, "data") and callable(self.w.data) else self.w
        b = self.b.data() if hasattr(self.b, "data") and callable(self.b.data) else self.b
        return (self.nd.dot(self.X[start:stop], w) + b - self.y[start:stop]) ** 2 / 2


class _TorchStyle(_Style):
    def __init__(self, data: LinearData, w0: np.ndarray, b0: np.ndarray) -> None:
        super().__init__(data)
        import torch

        self.torch = torch
        self.w = torch.from_numpy(w0.copy()).requires_grad_(True)
        self.b = torch.from_numpy(b0.copy()).requires_grad_(True)

    def begin_epoch(self, order: np.ndarray) -> None:
        self.X = self.torch.from_numpy(self.data.features[order])
        self.y = self.torch.from_numpy(self.data.labels[order]).reshape(-1, 1)

    def mean_loss(self, start: int, stop: int):  # noqa: ANN201
        return ((self.X[start:stop] @ self.w + self.b - self.y[start:stop]) ** 2 / 2).mean()

    def params(self) -> tuple[np.ndarray, np.ndarray]:
        return self.w.detach().numpy(), self.b.detach().numpy()


def train_scratch(update: Callable[[list, list, dict], None], states: list, hparams: Mapping[str, Any],
                  data: LinearData, batch_size: int, epochs: int = 5, period: int | None = None,
                  schedule: Schedule | None = None, framework: str = "mxnet", seed: int = 0,
                  name: str | None = None) -> TrainResult:
    """Train with an update rule written from scratch.

    ``update(params, states, hparams)`` changes the parameters ``[w, b]`` in place using their gradients
    (``p.grad``) of the *mean* minibatch loss; ``states`` holds its per-parameter state (built by the
    caller, e.g. zero velocities) and ``hparams`` must contain ``'lr'``, which the schedule updates at the
    start of every epoch. With ``framework='mxnet'`` the parameters are NDArrays with attached gradients;
    with ``'torch'`` they are tensors with ``requires_grad`` and the update runs under ``torch.no_grad()``.

    Raises:
        ValueError / TypeError: on a bad batch size, learning rate, period, epoch count or framework, or if
            ``hparams`` has no ``'lr'``.
    """
    framework = check_choice("framework", framework, FRAMEWORKS)
    if not callable(update):
        raise TypeError(f"update must be a callable (params, states, hparams), got {update!r}")
    if not isinstance(hparams, Mapping) or "lr" not in hparams:
        raise ValueError(f"hparams must be a dict with an 'lr' entry, got {hparams!r}")
    batch_size, lr, epochs, period = _check_common(data, batch_size, hparams["lr"], epochs, period, schedule)
    hp = dict(hparams)
    w0, b0 = initial_params(data.features.shape[1])
    recorder = _Recorder(name or f"scratch ({framework})", data, w0, b0)
    style = _ScratchMXNet(data, w0, b0, update, states, hp) if framework == "mxnet" \
        else _ScratchTorch(data, w0, b0, update, states, hp)
    lrs = _loop(data, batch_size, lr, epochs, period, schedule, seed, recorder, style)
    return recorder.result(*style.params(), lrs)


class _ScratchMXNet(_MXNetStyle):
    def __init__(self, data: LinearData, w0: np.ndarray, b0: np.ndarray, update: Callable, states: list,
                 hp: dict) -> None:
        from mxnet import autograd, nd

        w, b = nd.array(w0), nd.array(b0)
        for p in (w, b):
            p.attach_grad()
        super().__init__(data, w, b)
        self.autograd, self.update, self.states, self.hp = autograd, update, states, hp

    def set_lr(self, lr: float) -> None:
        self.hp["lr"] = lr

    def step(self, start: int, stop: int) -> float:
        with self.autograd.record():
            loss = self.batch_loss(start, stop).mean()
        loss.backward()
        self.update([self.w, self.b], self.states, self.hp)
        return float(loss.asscalar())

    def params(self) -> tuple[np.ndarray, np.ndarray]:
        return self.w.asnumpy(), self.b.asnumpy()


class _ScratchTorch(_TorchStyle):
    def __init__(self, data: LinearData, w0: np.ndarray, b0: np.ndarray, update: Callable, states: list,
                 hp: dict) -> None:
        super().__init__(data, w0, b0)
        self.update, self.states, self.hp = update, states, hp

    def set_lr(self, lr: float) -> None:
        self.hp["lr"] = lr

    def step(self, start: int, stop: int) -> float:
        loss = self.mean_loss(start, stop)
        loss.backward()
        with self.torch.no_grad():
            self.update([self.w, self.b], self.states, self.hp)
        self.w.grad.zero_()
        self.b.grad.zero_()
        return loss.item()


def train_gluon(optimizer: str, hparams: Mapping[str, Any], data: LinearData, batch_size: int,
                epochs: int = 5, period: int | None = None, schedule: Schedule | None = None,
                seed: int = 0, name: str | None = None) -> TrainResult:
    """Train with ``gluon.Trainer(params, optimizer, hparams)``.

    The loss is the *sum* over the minibatch and ``trainer.step(batch_size)`` rescales the gradient by
    ``1 / batch_size`` -- Gluon's convention, equivalent to differentiating the mean loss.
    ``hparams['learning_rate']`` is required (Gluon's name for the learning rate).

    Raises:
        ValueError: on an optimizer name MXNet does not know, or bad training arguments.
    """
    import mxnet as mx
    from mxnet import autograd, gluon, nd

    check_gluon_optimizer(optimizer, hparams)
    batch_size, lr, epochs, period = _check_common(data, batch_size, hparams["learning_rate"], epochs,
                                                   period, schedule, lr_name="learning_rate")
    w0, b0 = initial_params(data.features.shape[1])
    recorder = _Recorder(name or f"gluon ({optimizer})", data, w0, b0)
    w = gluon.Parameter("w", shape=w0.shape, init=mx.init.Zero())
    b = gluon.Parameter("b", shape=b0.shape, init=mx.init.Zero())
    for p, value in ((w, w0), (b, b0)):
        p.initialize()
        p.set_data(nd.array(value))
    style = _GluonStyle(data, w, b, gluon.Trainer([w, b], optimizer, dict(hparams)))
    lrs = _loop(data, batch_size, lr, epochs, period, schedule, seed, recorder, style)
    return recorder.result(*style.params(), lrs)


class _GluonStyle(_MXNetStyle):
    def __init__(self, data: LinearData, w, b, trainer) -> None:  # noqa: ANN001
        from mxnet import autograd

        super().__init__(data, w, b)
        self.autograd, self.trainer = autograd, trainer

    def set_lr(self, lr: float) -> None:
        self.trainer.set_learning_rate(lr)

    def step(self, start: int, stop: int) -> float:
        with self.autograd.record():
            losses = self.batch_loss(start, stop)
        losses.backward()  # the gradient of the *sum* of the per-example losses
        self.trainer.step(stop - start)  # rescales it by 1 / batch size
        return float(losses.mean().asscalar())

    def params(self) -> tuple[np.ndarray, np.ndarray]:
        return self.w.data().asnumpy(), self.b.data().asnumpy()


def train_torch(optimizer: type, hparams: Mapping[str, Any], data: LinearData, batch_size: int,
                epochs: int = 5, period: int | None = None, schedule: Schedule | None = None,
                seed: int = 0, name: str | None = None) -> TrainResult:
    """Train with ``optimizer([w, b], **hparams)``, a ``torch.optim`` class, on the mean minibatch loss.

    ``hparams['lr']`` is required.

    Raises:
        TypeError: if ``optimizer`` is not a subclass of ``torch.optim.Optimizer``.
        ValueError: on bad training arguments.
    """
    import torch

    if not (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer class such as torch.optim.SGD, "
                        f"got {optimizer!r}")
    if not isinstance(hparams, Mapping) or "lr" not in hparams:
        raise ValueError(f"hparams must be a dict with an 'lr' entry, got {hparams!r}")
    batch_size, lr, epochs, period = _check_common(data, batch_size, hparams["lr"], epochs, period, schedule)
    w0, b0 = initial_params(data.features.shape[1])
    recorder = _Recorder(name or f"torch ({optimizer.__name__})", data, w0, b0)
    style = _TorchOptimStyle(data, w0, b0, optimizer, hparams)
    lrs = _loop(data, batch_size, lr, epochs, period, schedule, seed, recorder, style)
    return recorder.result(*style.params(), lrs)


class _TorchOptimStyle(_TorchStyle):
    def __init__(self, data: LinearData, w0: np.ndarray, b0: np.ndarray, optimizer: type,
                 hparams: Mapping[str, Any]) -> None:
        super().__init__(data, w0, b0)
        self.opt = optimizer([self.w, self.b], **hparams)

    def set_lr(self, lr: float) -> None:
        for group in self.opt.param_groups:
            group["lr"] = lr

    def step(self, start: int, stop: int) -> float:
        loss = self.mean_loss(start, stop)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


def plot_losses(*results: TrainResult, figsize: tuple[float, float] | None = None) -> None:
    """Plot the full-data loss of one or more runs against epochs on a log axis.

    A diverged run is drawn up to its last finite loss and marked with a red cross at the top of the axes,
    labelled with its non-finite value, so a blow-up is visible rather than silently missing.

    Raises:
        ValueError: if no result is given.
        TypeError: if an argument is not a TrainResult.
    """
    if not results:
        raise ValueError("plot_losses needs at least one TrainResult")
    for r in results:
        if not isinstance(r, TrainResult):
            raise TypeError(f"plot_losses takes TrainResult objects, got {type(r).__name__}")
    import matplotlib.pyplot as plt

    if figsize is not None:
        plt.figure(figsize=figsize)
    ax = plt.gca()
    legend = [r.name for r in results] if len(results) > 1 else None
    plot([r.epochs for r in results], [r.losses for r in results], "epoch", "loss", legend=legend,
         yscale="log", axes=ax)
    for r in results:
        if r.diverged is not None:
            ax.plot([r.epochs[-1]], [1.0], "rx", transform=ax.get_xaxis_transform(), markersize=9,
                    clip_on=False)
            ax.annotate(f"{r.losses[-1]}", (r.epochs[-1], 1.0), xycoords=("data", "axes fraction"),
                        xytext=(4, -12), textcoords="offset points", color="r")


def agreement(results: Mapping[str, TrainResult]) -> float:
    """Print the largest parameter difference of every run from the first one and return the overall max.

    The runs are expected to have trained on identical batches from identical initial parameters, so the
    differences measure only the frameworks' arithmetic (float32 rounding is about 1e-7 relative).

    Raises:
        ValueError: with fewer than two runs, or if a run diverged.
    """
    if len(results) < 2:
        raise ValueError("agreement needs at least two runs to compare")
    for name, r in results.items():
        if r.diverged is not None:
            raise ValueError(f"run {name!r} diverged; there are no final parameters to compare")
    (ref_name, ref), *others = results.items()
    largest = 0.0
    for name, r in others:
        diff = float(max(np.max(np.abs(r.w - ref.w)), abs(r.b - ref.b)))
        largest = max(largest, diff)
        print(f"max |{name} - {ref_name}| = {diff:.2e}")
    return largest

"""The one training loop of the book: :func:`fit`, and the :class:`Run` it returns.

Everything in :mod:`d2l_utils` that trains a model -- from-scratch rules and framework optimizers on the
linear-regression problem (:mod:`d2l_utils.training`), the digits network and the learning-rate sweeps
(:mod:`d2l_utils.benchmark`) -- goes through :func:`fit`. It owns

* the epoch order: every epoch visits the examples in the order of :func:`d2l_utils.data.epoch_order` drawn
  from ``np.random.default_rng(seed)``, in consecutive minibatches (the last one may be smaller), so two
  runs with the same seed see the same minibatches in every framework;
* the learning-rate schedule: ``schedule(epoch, lr)`` at the start of every epoch (see :func:`step_decay`);
* recording: the loss of the whole training set at the start, after every ``period`` examples and at the
  end, so the last recorded loss is always the loss of the returned parameters;
* divergence: a minibatch loss that is inf or NaN stops the run at that step; a recorded loss above
  ``BLOWUP_FACTOR`` times the initial one flags the run as blowing up.

``fit`` prints nothing; :func:`d2l_utils.training.report` prints a run when a caller asks for it.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from d2l_utils._checks import check_int, check_positive
from d2l_utils.data import epoch_order

#: A run whose recorded loss exceeds this multiple of its initial loss is flagged as blowing up.
BLOWUP_FACTOR = 100.0

#: A learning-rate schedule: ``schedule(epoch, lr)`` is the rate of epoch ``epoch`` (0-based) for base rate ``lr``.
Schedule = Callable[[int, float], float]


class Learner(Protocol):
    """What :func:`fit` drives: one model with one way of taking a step."""

    def begin_epoch(self, epoch: int, order: np.ndarray) -> None:
        """Prepare the epoch's examples in ``order`` (shape ``(n,)``, or ``(k, n)`` for ``k`` seeds)."""

    def set_lr(self, lr: float) -> None:
        """Use learning rate ``lr`` from now on."""

    def step(self, start: int, stop: int) -> tuple[float, float]:
        """Take one step on examples ``start:stop`` of the epoch order; return (minibatch loss, rate used)."""

    def evaluate(self) -> dict[str, float]:
        """Measure the current parameters: at least ``{'loss': loss on the whole training set}``."""

    def params(self) -> list[np.ndarray]:
        """The current parameters as NumPy arrays."""


@dataclass
class Run:
    """What a training run produced.

    Attributes:
        name: a label for legends and tables.
        epochs: when the records were taken, in epochs (0 is the initial state).
        losses: the loss on the whole training set at those points; a diverged run ends with its non-finite
            minibatch loss.
        lrs: the learning rate of every update, in order.
        params: the final parameters (NumPy arrays, in the model's order).
        metrics: further records at the same points, e.g. ``'accuracy'`` on held-out data.
        diverged: ``'diverged at epoch 2, step 37: loss = inf'``, or None.
        blew_up: True if a recorded loss rose above ``BLOWUP_FACTOR`` times the initial one.
    """

    name: str
    epochs: np.ndarray
    losses: np.ndarray
    lrs: list[float]
    params: list[np.ndarray]
    metrics: dict[str, np.ndarray] = field(default_factory=dict)
    diverged: str | None = None
    blew_up: bool = False

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    @property
    def w(self) -> np.ndarray:
        """The weight vector of a linear model (float64, shape ``(d,)``)."""
        return self.params[0].astype(np.float64).reshape(-1)

    @property
    def b(self) -> float:
        """The bias of a linear model."""
        return float(self.params[1].reshape(-1)[0])

    @property
    def final_acc(self) -> float:
        """The last recorded held-out accuracy (a fraction).

        Raises:
            KeyError: if the run recorded no accuracy.
        """
        return float(self.metrics["accuracy"][-1])


def step_decay(after: int = 2, factor: float = 0.1) -> Schedule:
    """A schedule that multiplies the learning rate by ``factor`` once ``after`` epochs are done.

    ``step_decay(2, 0.1)`` is the book's canonical schedule: epochs 1 and 2 use ``lr``, later ones ``0.1 lr``.

    Raises:
        TypeError / ValueError: if ``after`` is not an integer >= 0 or ``factor`` not a finite number > 0.
    """
    after = check_int("after", after, minimum=0)
    factor = check_positive("factor", factor)

    def schedule(epoch: int, lr: float) -> float:
        return lr * factor if epoch >= after else lr

    return schedule


def check_schedule(schedule: Any) -> Schedule | None:
    """Return ``schedule`` if it is None or callable; raise a ``TypeError`` otherwise."""
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a callable (epoch, lr) -> lr or None, got {schedule!r}")
    return schedule


def fit(learner: Learner, n: int, batch_size: int, epochs: int, *, lr: float | None = None,
        schedule: Schedule | None = None, seed: int | Sequence[int] = 0, period: int | None = None,
        name: str = "run") -> Run:
    """Train ``learner`` for ``epochs`` epochs over ``n`` examples in minibatches of ``batch_size``.

    ``lr`` is the base learning rate: with a ``schedule`` the learner is set to ``schedule(epoch, lr)`` at
    the start of every epoch; without one, to ``lr`` once (``None`` leaves the learner's rate alone).
    ``seed`` is one seed, or one per replica for a learner that trains several replicas at once (the epoch
    order then has shape ``(len(seed), n)``). ``period`` is the number of examples between records
    (``None``: once per epoch).

    Returns:
        A :class:`Run`; ``params`` are the learner's parameters at the end, and the last record is theirs.

    Raises:
        TypeError / ValueError: on a bad ``n``, ``batch_size`` (must be in ``[1, n]``), ``epochs``, ``lr``,
            ``schedule``, ``seed`` or ``period``.
    """
    n = check_int("n", n, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=n)
    epochs = check_int("epochs", epochs, minimum=1)
    if lr is not None:
        lr = check_positive("lr", lr)
    schedule = check_schedule(schedule)
    seeds = list(seed) if isinstance(seed, (Sequence, np.ndarray)) and not isinstance(seed, str) else [seed]
    if not seeds:
        raise ValueError("seed must be an integer or a non-empty list of integers, got []")
    rngs = [np.random.default_rng(check_int("seed", s, minimum=0)) for s in seeds]
    period = n if period is None else check_int("period", period, minimum=1)

    records: dict[str, list[float]] = {}
    points: list[float] = []

    def record(seen: int) -> None:
        points.append(seen / n)
        for key, value in learner.evaluate().items():
            records.setdefault(key, []).append(value)

    record(0)
    lrs: list[float] = []
    diverged = None
    seen = 0
    if lr is not None and schedule is None:
        learner.set_lr(lr)
    for epoch in range(epochs):
        if lr is not None and schedule is not None:
            learner.set_lr(schedule(epoch, lr))
        orders = [epoch_order(n, rng) for rng in rngs]
        learner.begin_epoch(epoch, orders[0] if isinstance(seed, (int, np.integer)) else np.stack(orders))
        for i, start in enumerate(range(0, n, batch_size)):
            stop = min(start + batch_size, n)
            batch_loss, lr_used = learner.step(start, stop)
            lrs.append(lr_used)
            before, seen = seen, seen + stop - start
            if not math.isfinite(batch_loss):
                diverged = f"diverged at epoch {epoch + 1}, step {i + 1}: loss = {batch_loss}"
                points.append(seen / n)
                for key, values in records.items():
                    values.append(batch_loss if key == "loss" else math.nan)
                break
            if seen // period > before // period:
                record(seen)
        if diverged:
            break
    if diverged is None and points[-1] != seen / n:
        record(seen)
    losses = np.array(records.pop("loss"))
    finite = losses[np.isfinite(losses)]
    blew_up = bool(np.any(finite > BLOWUP_FACTOR * losses[0]))
    metrics = {key: np.array(values) for key, values in records.items()}
    return Run(name, np.array(points), losses, lrs, learner.params(), metrics, diverged, blew_up)

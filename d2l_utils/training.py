"""Training on the book's linear-regression problem: a from-scratch rule or a framework's optimizer.

* :func:`train_scratch` -- an update rule written from scratch, run in any registered framework;
* :func:`train` -- a framework's own optimizer (``gluon.Trainer``, ``torch.optim``, ...);
* :func:`report`, :func:`agreement`, :func:`plot_losses` -- what a chapter prints and draws of the runs.

Both train the model ``y_hat = X w + b`` with the loss ``(y_hat - y)^2 / 2`` from the same initial
parameters (:func:`initial_params`) through the one loop :func:`d2l_utils.loop.fit`, so every run with the
same seed sees the same minibatches in the same order, whatever the framework.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from d2l_utils import frameworks
from d2l_utils._checks import check_choice, check_int, check_positive
from d2l_utils.data import LinearData
from d2l_utils.loop import BLOWUP_FACTOR, Run, Schedule, fit
from d2l_utils.plotting import plot
from d2l_utils.reference import format_difference
from d2l_utils.report import format_vector

#: Standard deviation of the initial weights (the bias starts at zero).
INIT_SCALE = 0.01


def initial_params(d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The initial ``w`` (shape ``(d, 1)``, N(0, 0.01^2)) and ``b`` (shape ``(1,)``, zero), as float32."""
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    return (rng.normal(scale=INIT_SCALE, size=(d, 1)).astype(np.float32), np.zeros(1, dtype=np.float32))


def full_loss(data: LinearData, w: np.ndarray, b: np.ndarray) -> float:
    """The loss ``mean((X w + b - y)^2) / 2`` on the whole data set, in float64 (inf on overflow)."""
    with np.errstate(over="ignore", invalid="ignore"):
        residual = data.features.astype(np.float64) @ np.asarray(w, np.float64).reshape(-1) \
            + float(np.asarray(b).reshape(-1)[0]) - data.labels.astype(np.float64)
        return float(np.mean(residual**2) / 2)


class _LinearLearner:
    """The linear model of one framework, stepped by a from-scratch rule or by the framework's optimizer."""

    def __init__(self, fw: Any, data: LinearData) -> None:
        self.fw, self.data = fw, data
        self.model = fw.linear(*initial_params(data.features.shape[1]))
        self.take_step: Callable[[Any, Any, Any], tuple[float, float]]  # (model, X, y) -> (loss, rate)
        self.set_lr: Callable[[float], None]

    def begin_epoch(self, epoch: int, order: np.ndarray) -> None:
        self.X = self.fw.array(self.data.features[order])
        self.y = self.fw.array(self.data.labels[order])

    def step(self, start: int, stop: int) -> tuple[float, float]:
        return self.take_step(self.model, self.X[start:stop], self.y[start:stop])

    def evaluate(self) -> dict[str, float]:
        return {"loss": full_loss(self.data, *self.params())}

    def params(self) -> list[np.ndarray]:
        return [self.fw.to_numpy(p) for p in self.model.params]


def _check_run(data: Any, period: Any, batch_size: Any) -> int | None:
    if not isinstance(data, LinearData):
        raise TypeError(f"data must be a LinearData (see synthetic_linear_data), got {type(data).__name__}")
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=data.n)
    if period is None:
        return batch_size * max(1, 10 // batch_size)
    period = check_int("period", period, minimum=1)
    if period % batch_size:
        raise ValueError(f"period must be a multiple of the batch size {batch_size}, got {period}")
    return period


def train_scratch(update: Callable[[list, Any, dict], None], states: Any, hparams: Mapping[str, Any],
                  data: LinearData, batch_size: int, epochs: int = 5, period: int | None = None,
                  schedule: Schedule | None = None, framework: str = "torch", seed: int = 0,
                  name: str | None = None, verbose: bool = True) -> Run:
    """Train with an update rule written from scratch.

    ``update(params, states, hparams)`` changes the parameters ``[w, b]`` in place using their gradients
    ``p.grad`` of the *mean* minibatch loss; ``states`` holds its state (built by the caller, e.g. zero
    velocities) and ``hparams`` its hyperparameters. ``hparams['lr']``, if present, is the learning rate
    that ``schedule`` changes at the start of every epoch; a rule without a learning rate (Adadelta) leaves
    it out. ``framework`` names the arrays the rule works on (see :data:`d2l_utils.frameworks.NAMES`). The
    loss of the whole data set is recorded every ``period`` examples (default: about every 10) and at the
    end. With ``verbose`` the outcome is printed (:func:`report`).

    Raises:
        ValueError / TypeError: on a bad update rule, ``hparams``, batch size, learning rate, period, epoch
            count, schedule or framework.
    """
    fw = frameworks.get(framework)
    if not callable(update):
        raise TypeError(f"update must be a callable (params, states, hparams), got {update!r}")
    if not isinstance(hparams, Mapping):
        raise TypeError(f"hparams must be a dict, got {hparams!r}")
    if schedule is not None and "lr" not in hparams:
        raise ValueError("a schedule needs hparams['lr'], the learning rate it changes")
    period = _check_run(data, period, batch_size)
    hp = dict(hparams)

    def set_lr(lr: float) -> None:
        hp["lr"] = lr

    def step(model: Any, X: Any, y: Any) -> tuple[float, float]:
        loss = fw.gradient(model, X, y)
        fw.scratch_update(update, model, states, hp)
        return loss, hp.get("lr", float("nan"))

    learner = _LinearLearner(fw, data)
    learner.take_step, learner.set_lr = step, set_lr
    lr = check_positive("hparams['lr']", hp["lr"]) if "lr" in hp else None
    run = fit(learner, data.n, batch_size, epochs, lr=lr, schedule=schedule, seed=seed, period=period,
              name=name or f"scratch ({framework})")
    if verbose:
        report(run, data)
    return run


def train(framework: str, optimizer: Any, hparams: Mapping[str, Any], data: LinearData, batch_size: int,
          epochs: int = 5, period: int | None = None, schedule: Schedule | None = None, seed: int = 0,
          name: str | None = None, verbose: bool = True) -> Run:
    """Train with a framework's own optimizer: ``train('torch', torch.optim.SGD, {'lr': 0.1}, ...)`` or
    ``train('mxnet', 'sgd', {'learning_rate': 0.1}, ...)`` (a ``gluon.Trainer``).

    ``hparams`` are the framework's keyword arguments, learning rate included under the framework's name
    for it (``LR_KEY`` of the framework module); an optimizer without a learning rate (MXNet's
    ``'adadelta'``) takes none, and then no ``schedule``. The other arguments are those of
    :func:`train_scratch`.

    Raises:
        ValueError / TypeError: on an unknown framework or optimizer, ``hparams`` without a learning rate,
            or bad training arguments.
    """
    fw = frameworks.get(framework)
    period = _check_run(data, period, batch_size)
    if not isinstance(hparams, Mapping):
        raise TypeError(f"hparams must be a dict, got {hparams!r}")
    lr = check_positive(f"hparams[{fw.LR_KEY!r}]", hparams[fw.LR_KEY]) if fw.LR_KEY in hparams else None
    if schedule is not None and lr is None:
        raise ValueError(f"a schedule needs hparams[{fw.LR_KEY!r}], the learning rate it changes")
    learner = _LinearLearner(fw, data)
    opt = fw.optimizer(optimizer, hparams, learner.model)
    learner.take_step = lambda model, X, y: fw.library_step(opt, model, X, y)
    learner.set_lr = lambda lr: fw.set_lr(opt, lr)
    run = fit(learner, data.n, batch_size, epochs, lr=lr if schedule is not None else None, schedule=schedule,
              seed=seed, period=period, name=name or fw.describe(optimizer))
    if verbose:
        report(run, data)
    return run


def report(run: Run, data: LinearData | None = None) -> None:
    """Print how a run ended: a blow-up warning, the divergence message, or the final loss and parameters.

    With ``data`` the learned ``w`` and ``b`` are printed next to the true ones, on one line when it fits a
    code box (79 characters).
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run, got {type(run).__name__}")
    if run.blew_up:
        k = int(np.argmax(np.where(np.isfinite(run.losses), run.losses, -np.inf) > BLOWUP_FACTOR * run.losses[0]))
        print(f"warning: loss {run.losses[k]:.4g} at epoch {run.epochs[k]:.2f} is over {BLOWUP_FACTOR:g}x "
              f"its initial value {run.losses[0]:.4g}")
    if run.diverged is not None:
        print(run.diverged)
        return
    print(f"{run.name}: loss {run.final_loss:.6f}")
    if data is not None:
        learned = f"    w {format_vector(run.w)}, b {run.b:.4f}"
        true = f"true w {format_vector(data.true_w)}, b {data.true_b:.4f}"
        print(learned + ("; " if len(learned) + len(true) + 2 <= 79 else "\n    ") + true)


def plot_losses(*runs: Run, figsize: tuple[float, float] | None = None) -> None:
    """Plot the training loss of one or more runs against epochs on a log axis.

    A diverged run is drawn up to its last finite loss and marked with a red cross at the top of the axes,
    labelled with its non-finite value, so a blow-up is visible rather than silently missing.

    Raises:
        ValueError: if no run is given.
        TypeError: if an argument is not a Run.
    """
    if not runs:
        raise ValueError("plot_losses needs at least one Run")
    for r in runs:
        if not isinstance(r, Run):
            raise TypeError(f"plot_losses takes Run objects, got {type(r).__name__}")
    import matplotlib.pyplot as plt

    if figsize is not None:
        plt.figure(figsize=figsize)
    ax = plt.gca()
    legend = [r.name for r in runs] if len(runs) > 1 else None
    plot([r.epochs for r in runs], [r.losses for r in runs], "epoch", "loss", legend=legend,
         yscale="log", axes=ax)
    for r in runs:
        if r.diverged is not None:
            ax.plot([r.epochs[-1]], [1.0], "rx", transform=ax.get_xaxis_transform(), markersize=9,
                    clip_on=False)
            ax.annotate(f"{r.losses[-1]}", (r.epochs[-1], 1.0), xycoords=("data", "axes fraction"),
                        xytext=(4, -12), textcoords="offset points", color="r")


AGREEMENT = ("params", "losses", "both")
#: Relative differences of loss histories below this print as ``< 1e-4``. Near its floor a loss is tiny, and
#: float32 rounding alone moves two runs' losses there by up to about 1.2e-4 relative (measured in chapter 5),
#: with digits that differ between CPUs; tests/nbval_sanitize.cfg masks such values below 1e-3.
LOSS_FLOOR = 1e-4


def agreement(runs: Mapping[str, Run], compare: str = "both") -> float:
    """Compare runs that trained on identical minibatches from identical initial parameters.

    For every run after the first, print the largest difference from the first run of its final parameters
    (``compare='params'``), the largest relative difference of its recorded loss history (``'losses'``), or
    both (the default); return the largest of these figures. Final parameters alone can hide different
    paths; the loss history shows where two runs went. With a single run there is nothing to compare: it
    prints so and returns 0.

    Raises:
        ValueError: with no run, if a run diverged, on an unknown ``compare``, or if the loss histories were
            recorded at different points.
    """
    compare = check_choice("compare", compare, AGREEMENT)
    if not isinstance(runs, Mapping) or len(runs) == 0:
        raise ValueError("runs must be a dict name -> Run with at least one run")
    for name, r in runs.items():
        if not isinstance(r, Run):
            raise TypeError(f"runs[{name!r}] must be a Run, got {type(r).__name__}")
        if r.diverged is not None:
            raise ValueError(f"run {name!r} diverged; there are no final parameters to compare")
    (ref_name, ref), *others = runs.items()
    if not others:
        print(f"only {ref_name} ran here: nothing to compare it with")
        return 0.0
    largest = 0.0
    for name, r in others:
        parts = []
        if compare in ("params", "both"):
            diff = float(max(np.max(np.abs(p - q)) for p, q in zip(r.params, ref.params, strict=True)))
            parts.append(f"max |{name} - {ref_name}| = {diff:.2e}")
            largest = max(largest, diff)
        if compare in ("losses", "both"):
            if r.epochs.shape != ref.epochs.shape or np.any(r.epochs != ref.epochs):
                raise ValueError(f"runs {name!r} and {ref_name!r} recorded their losses at different points")
            rel = float(np.max(np.abs(r.losses - ref.losses) / np.maximum(np.abs(ref.losses), 1e-300)))
            text = format_difference(rel, LOSS_FLOOR)
            parts.append(f"losses {text} relative" if compare == "both" else f"max relative loss difference {text}")
            largest = max(largest, rel)
        print(", ".join(parts) if compare != "losses" else f"{name} vs {ref_name}: {parts[0]}")
    return largest

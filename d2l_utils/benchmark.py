"""Benchmarks for chapter 10, *Choosing an Optimizer*: one network, two frameworks, many optimizers.

* :func:`load_digits_split` -- scikit-learn's bundled handwritten digits (no download), standardized and
  split into a training and a held-out part by a seeded permutation.
* :func:`mlp_init`, :func:`mlp` -- a ReLU multilayer perceptron whose initial weights come from one seeded
  NumPy generator and are copied into any framework, so that all start from exactly the same numbers.
* :func:`train_mlp` -- minibatch training with a framework's optimizer through :func:`d2l_utils.loop.fit`,
  recording the training loss and the held-out accuracy after every epoch and the rate of every update.
* :func:`lr_sweep` -- many PyTorch trainings at once (optimizers x learning rates x seeds), for
  learning-rate sensitivity plots that would otherwise take minutes.
* :func:`plot_sweep`, :func:`plot_histories`, :func:`print_table`, :func:`format_loss` -- figures and
  tables.

The frameworks are imported inside the functions that need them, so importing this module is cheap.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from d2l_utils import frameworks
from d2l_utils._checks import check_choice, check_int, check_positive
from d2l_utils.loop import Run, check_schedule, fit

#: Hidden-layer width of the book's digits network: 64 pixels -> 32 ReLU units -> 10 classes.
DIGITS_SIZES = (64, 32, 10)
LOSSES = ("cross_entropy", "squared")

Params = list  # a list of NumPy arrays: W1 (out, in), b1 (out,), W2, b2, ...


@dataclass(frozen=True)
class Split:
    """A classification data set split into a training part and a held-out part.

    Features are float32 of shape ``(n, d)``, labels int64 of shape ``(n,)``.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_classes(self) -> int:
        """Number of classes (the largest label plus one)."""
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def load_digits_split(n_test: int = 500, seed: int = 0) -> Split:
    """Scikit-learn's 1797 8x8 digit images, standardized, split into training and held-out examples.

    A permutation drawn from ``np.random.default_rng(seed)`` picks the ``n_test`` held-out examples; the
    rest (1297 by default) are for training. Every pixel is standardized with the mean and standard
    deviation of the *training* examples (pixels that are constant there are only centred), so no
    held-out information leaks into training.

    Raises:
        TypeError: if ``n_test`` or ``seed`` is not an integer.
        ValueError: if ``n_test`` is not in ``[1, 1796]`` or ``seed`` is negative.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    n = len(digits.target)
    n_test = check_int("n_test", n_test, minimum=1, maximum=n - 1)
    seed = check_int("seed", seed, minimum=0)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    X = digits.data.astype(np.float64)
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    std[std == 0] = 1.0
    X = ((X - mean) / std).astype(np.float32)
    y = digits.target.astype(np.int64)
    return Split(X[train], y[train], X[test], y[test])


def _check_sizes(sizes: Any) -> tuple[int, ...]:
    if not isinstance(sizes, (tuple, list)) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {sizes!r}")
    return tuple(check_int(f"sizes[{i}]", s, minimum=1) for i, s in enumerate(sizes))


def mlp_init(sizes: Sequence[int] = DIGITS_SIZES, seed: int = 0) -> Params:
    """Initial parameters of a ReLU perceptron: ``[W1, b1, W2, b2, ...]`` as float32 NumPy arrays.

    Each weight matrix has the framework layout ``(fan_out, fan_in)`` and is drawn from
    ``U(-sqrt(6 / fan_in), sqrt(6 / fan_in))`` (He initialization for ReLU units), all from one
    ``np.random.default_rng(seed)``; biases are zero.

    Raises:
        ValueError: if ``sizes`` has fewer than two entries or an entry < 1, or ``seed`` < 0.
        TypeError: if an entry of ``sizes`` or ``seed`` is not an integer.
    """
    sizes = _check_sizes(sizes)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = math.sqrt(6.0 / fan_in)
        params.append(rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return params


def _check_params(params: Any) -> tuple[int, ...]:
    """Return the layer widths of ``[W1, b1, W2, b2, ...]`` or raise a ValueError."""
    if not isinstance(params, (list, tuple)) or len(params) < 2 or len(params) % 2:
        raise ValueError("params must be a list [W1, b1, W2, b2, ...] of weight matrices and bias vectors")
    sizes: list[int] = []
    for i in range(0, len(params), 2):
        W, b = np.asarray(params[i]), np.asarray(params[i + 1])
        fits = W.ndim == 2 and b.shape == (W.shape[0],) and (not sizes or W.shape[1] == sizes[-1])
        if not fits:
            expected = f"(out, {sizes[-1]})" if sizes else "(out, in)"
            raise ValueError(f"params[{i}] and params[{i + 1}] must be an {expected} matrix and an (out,) "
                             f"vector, got shapes {W.shape} and {b.shape}")
        if not sizes:
            sizes.append(W.shape[1])
        sizes.append(W.shape[0])
    return tuple(sizes)


def _check_training(data: Any, params: Any, epochs: Any, batch_size: Any, seed: Any) -> tuple[int, int, int]:
    if not isinstance(data, Split):
        raise TypeError(f"data must be a Split (see load_digits_split), got {type(data).__name__}")
    sizes = _check_params(params)
    if sizes[0] != data.X_train.shape[1] or sizes[-1] < data.n_classes:
        raise ValueError(f"params map {sizes[0]} inputs to {sizes[-1]} outputs, but the data have "
                         f"{data.X_train.shape[1]} features and {data.n_classes} classes")
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=len(data.y_train))
    seed = check_int("seed", seed, minimum=0)
    return epochs, batch_size, seed


def mlp(framework: str, params: Params) -> Any:
    """The digits network in ``framework`` (PyTorch: ``nn.Sequential``; MXNet: a hybridized
    ``nn.HybridSequential``) holding copies of ``params = [W1, b1, W2, b2, ...]``, with ReLU in between.

    Raises:
        ValueError: on an unknown framework, or if ``params`` is not a consistent list ``[W1, b1, ...]``.
    """
    fw = frameworks.get(framework)
    _check_params(params)
    return fw.mlp(params).net


class _MLPLearner:
    """The digits network of one framework, stepped by that framework's optimizer."""

    def __init__(self, fw: Any, data: Split, params: Params, optimizer: Any, hparams: Mapping[str, Any]) -> None:
        self.fw, self.data = fw, data
        self.model = fw.mlp(params)
        self.opt = fw.optimizer(optimizer, hparams, self.model)

    def begin_epoch(self, epoch: int, order: np.ndarray) -> None:
        self.X, self.y = self.fw.array(self.data.X_train[order]), self.fw.array(self.data.y_train[order])

    def set_lr(self, lr: float) -> None:
        self.fw.set_lr(self.opt, lr)

    def step(self, start: int, stop: int) -> tuple[float, float]:
        return self.fw.library_step(self.opt, self.model, self.X[start:stop], self.y[start:stop])

    def evaluate(self) -> dict[str, float]:
        d = self.data
        loss, acc = self.model.evaluate(d.X_train, d.y_train, d.X_test, d.y_test)
        return {"loss": loss, "accuracy": acc}

    def params(self) -> list[np.ndarray]:
        return [self.fw.to_numpy(p) for p in self.model.params]


def train_mlp(framework: str, optimizer: Any, hparams: Mapping[str, Any], data: Split, params: Params,
              epochs: int = 20, batch_size: int = 64, seed: int = 0, name: str | None = None) -> Run:
    """Train the digits network (:func:`mlp`) with a framework's optimizer on the mean cross-entropy.

    ``train_mlp('torch', torch.optim.Adam, {'lr': 0.01}, ...)`` or
    ``train_mlp('mxnet', 'adam', {'learning_rate': 0.01}, ...)``. The minibatches come from
    :func:`d2l_utils.loop.fit` with ``seed``, so both frameworks and :func:`lr_sweep` see the same ones. A
    schedule that changes the rate at every update goes into ``hparams['lr_scheduler']``: an
    ``mxnet.lr_scheduler`` object for MXNet, a callable ``optimizer -> torch.optim.lr_scheduler`` object for
    PyTorch. The run records the training loss and the held-out accuracy (``metrics['accuracy']``) after
    every epoch, and the rate of every update (``lrs``).

    Raises:
        TypeError / ValueError: on an unknown framework or optimizer, ``hparams`` without a learning rate,
            or bad ``data``, ``params``, ``epochs``, ``batch_size`` or ``seed``.
    """
    fw = frameworks.get(framework)
    epochs, batch_size, seed = _check_training(data, params, epochs, batch_size, seed)
    learner = _MLPLearner(fw, data, params, optimizer, hparams)
    return fit(learner, len(data.y_train), batch_size, epochs, seed=seed, name=name or fw.describe(optimizer))


@dataclass
class Sweep:
    """Final training losses of :func:`lr_sweep`.

    Attributes:
        names: the optimizers, in the order of the first axis.
        lrs: the learning rates (last axis).
        seeds: the seeds (middle axis); a seed fixes the initial parameters and the minibatch order.
        losses: final training loss, shape ``(len(names), len(seeds), len(lrs))``.
        diverged: True where some minibatch loss of the run became inf or NaN, or the final loss is.
        accuracy: final held-out accuracy (a fraction), same shape, if held-out data were given.
    """

    names: tuple[str, ...]
    lrs: np.ndarray
    seeds: tuple[int, ...]
    losses: np.ndarray
    diverged: np.ndarray
    accuracy: np.ndarray | None = None

    def _index(self, name: str) -> int:
        if name not in self.names:
            raise ValueError(f"unknown optimizer {name!r}; the sweep has {', '.join(map(repr, self.names))}")
        return self.names.index(name)

    def median(self, name: str) -> np.ndarray:
        """Median final loss over the seeds at every learning rate (inf where any seed diverged)."""
        i = self._index(name)
        med = np.median(self.losses[i], axis=0)
        return np.where(self.diverged[i].any(axis=0) | ~np.isfinite(med), np.inf, med)

    def best_lr(self, name: str) -> float:
        """The learning rate with the lowest median final loss among those where no seed diverged.

        Raises:
            ValueError: for an unknown name, or if every learning rate diverged.
        """
        med = self.median(name)
        if not np.isfinite(med).any():
            raise ValueError(f"every learning rate diverged for {name!r}")
        return float(self.lrs[int(np.argmin(med))])


def _stack_layers(sizes: tuple[int, ...]) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Shapes of ``[W1, b1, W2, b2, ...]`` and their offsets in one flat parameter vector."""
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        shapes += [(fan_out, fan_in), (fan_out, 1)]
    offsets = np.concatenate([[0], np.cumsum([a * b for a, b in shapes])])
    return shapes, offsets


def lr_sweep(optimizers: Mapping[str, tuple[type, Mapping[str, Any]]], lrs: Sequence[float],
             seeds: Sequence[int], X: np.ndarray, y: np.ndarray, *, sizes: Sequence[int] | None = None,
             loss: str = "cross_entropy", epochs: int = 20, batch_size: int = 64,
             init: Callable[[int], Params] | None = None,
             schedule: Callable[[int, float], float] | None = None,
             X_test: np.ndarray | None = None, y_test: np.ndarray | None = None) -> Sweep:
    """Train one network per (optimizer, seed, learning rate) with ``torch.optim`` and return the final losses.

    ``optimizers`` maps a name to ``(torch.optim class, hyperparameters without 'lr')``. A seed fixes the
    initial parameters (``init(seed)``, by default :func:`mlp_init`) and the minibatch order (a
    permutation per epoch from :func:`d2l_utils.loop.fit` with that seed, as in :func:`train_mlp`).
    ``loss='cross_entropy'`` trains a classifier with integer labels ``y``; ``loss='squared'`` a
    regression with the loss ``(y_hat - y)^2 / 2`` and targets ``y``. ``sizes`` defaults to one hidden
    layer of 32 ReLU units for classification and to a linear model for regression. ``schedule(epoch,
    lr)`` (as in :func:`d2l_utils.step_decay`) sets the learning rate at the start of every epoch. With
    held-out data ``X_test, y_test`` (classification only) the sweep also records every network's final
    held-out accuracy.

    All networks are trained at once, as one batched network, so the sweep costs about as much as a few
    single runs. Each ``torch.optim`` optimizer steps all its networks with ``lr = 1``, and every network's
    step is then multiplied by its own learning rate. This is exact because every optimizer of the book
    updates ``x <- x - lr * d`` with a direction ``d`` and a state that do not depend on ``lr`` in
    PyTorch's conventions (AdamW's decay ``x <- x (1 - lr * wd)`` also scales with ``lr``); it is not
    true for optimizers with a learning-rate-dependent state (e.g. ``Adagrad`` with ``lr_decay``), which
    must not be passed. The results equal those of separate runs up to float32 rounding.

    Raises:
        ValueError: on an empty ``optimizers``, ``lrs`` or ``seeds``, a non-positive learning rate, an
            ``'lr'`` among the hyperparameters, an unknown ``loss``, mismatched ``X``, ``y`` and ``sizes``,
            or bad ``epochs``/``batch_size``.
        TypeError: if an optimizer is not a ``torch.optim.Optimizer`` class, or ``init``/``schedule`` is
            not callable.
    """
    import torch

    if not isinstance(optimizers, Mapping) or not optimizers:
        raise ValueError("optimizers must be a non-empty dict name -> (torch.optim class, hparams)")
    for key, spec in optimizers.items():
        if not (isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], type)
                and issubclass(spec[0], torch.optim.Optimizer)):
            raise TypeError(f"optimizers[{key!r}] must be a pair (torch.optim class, hparams), got {spec!r}")
        if not isinstance(spec[1], Mapping) or "lr" in spec[1]:
            raise ValueError(f"optimizers[{key!r}]: the hyperparameters must be a dict without 'lr' "
                             f"(the sweep sets it), got {spec[1]!r}")
    if len(lrs) == 0 or len(seeds) == 0:
        raise ValueError("lrs and seeds must not be empty")
    lr_values = [check_positive("each learning rate", lr) for lr in lrs]
    seeds = tuple(check_int("each seed", s, minimum=0) for s in seeds)
    loss = check_choice("loss", loss, LOSSES)
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or np.shape(y) != (len(X),):
        raise ValueError(f"X must have shape (n, d) and y shape (n,), got {X.shape} and {np.shape(y)}")
    if sizes is None:
        sizes = (X.shape[1], 32, int(np.max(y)) + 1) if loss == "cross_entropy" else (X.shape[1], 1)
    sizes = _check_sizes(sizes)
    if sizes[0] != X.shape[1] or (loss == "squared" and sizes[-1] != 1):
        raise ValueError(f"sizes {sizes} do not fit {X.shape[1]} features and the {loss} loss")
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=len(X))
    if (X_test is None) != (y_test is None):
        raise ValueError("pass both X_test and y_test, or neither")
    if X_test is not None:
        X_test = np.asarray(X_test, dtype=np.float32)
        if loss != "cross_entropy" or X_test.ndim != 2 or X_test.shape[1] != X.shape[1] \
                or np.shape(y_test) != (len(X_test),):
            raise ValueError(f"held-out data need the cross_entropy loss, X_test of shape (m, {X.shape[1]}) "
                             f"and y_test of shape (m,), got {X_test.shape} and {np.shape(y_test)}")
    if init is None:
        init = lambda seed: mlp_init(sizes, seed)  # noqa: E731
    if not callable(init):
        raise TypeError(f"init must be a callable seed -> params or None, got {init!r}")
    schedule = check_schedule(schedule)

    shapes, offsets = _stack_layers(sizes)
    n_seeds, n_lrs, n_layers = len(seeds), len(lr_values), len(sizes) - 1
    flat0 = []
    for s in seeds:
        params = init(s)
        if _check_params(params) != sizes:
            raise ValueError(f"init({s}) must return parameters of the layer sizes {sizes}")
        flat0.append(np.concatenate([np.asarray(p, dtype=np.float32).ravel() for p in params]))
    start = torch.from_numpy(np.stack(flat0))[:, None, :]  # (seeds, 1, P)
    # One flat parameter tensor (seeds, lrs, P) per optimizer: networks side by side.
    flats = [start.repeat(1, n_lrs, 1).requires_grad_() for _ in optimizers]
    opts = [cls([flat], lr=1.0, **hp) for flat, (cls, hp) in zip(flats, optimizers.values(), strict=True)]
    n_nets = len(flats) * n_lrs

    def forward(XT: torch.Tensor) -> torch.Tensor:
        """Outputs (seeds, nets, classes, batch) for inputs XT (seeds, features, batch)."""
        h = XT
        for j in range(n_layers):
            (fan_out, fan_in), lo, mid, hi = shapes[2 * j], offsets[2 * j], offsets[2 * j + 1], offsets[2 * j + 2]
            W = torch.cat([f[:, :, lo:mid] for f in flats], dim=1)  # (seeds, nets, out * in)
            b = torch.cat([f[:, :, mid:hi] for f in flats], dim=1)  # (seeds, nets, out)
            if j == 0:  # the input is shared by all networks of a seed: one product per seed
                h = torch.baddbmm(b.reshape(n_seeds, n_nets * fan_out, 1),
                                  W.reshape(n_seeds, n_nets * fan_out, fan_in), h)
            else:  # one small product per network
                h = torch.baddbmm(b.reshape(n_seeds * n_nets, fan_out, 1),
                                  W.reshape(n_seeds * n_nets, fan_out, fan_in),
                                  h.reshape(n_seeds * n_nets, fan_in, -1))
            if j < n_layers - 1:
                h = torch.relu(h)
        return h.reshape(n_seeds, n_nets, sizes[-1], -1)

    def losses(out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean loss of every network, shape (seeds, nets), for targets (seeds, batch)."""
        if loss == "squared":
            return ((out[:, :, 0, :] - target[:, None, :]) ** 2 / 2).mean(dim=-1)
        picked = out.gather(2, target[:, None, None, :].expand(-1, n_nets, 1, -1)).squeeze(2)
        return (torch.logsumexp(out, dim=2) - picked).mean(dim=-1)

    X_t = torch.from_numpy(X)
    y_t = torch.from_numpy(np.asarray(y, dtype=np.int64 if loss == "cross_entropy" else np.float32))
    bad = torch.zeros(n_seeds, n_nets, dtype=torch.bool)

    class Learner:  # every network of the sweep, stepped at once
        def begin_epoch(self, epoch: int, order: np.ndarray) -> None:
            rates = [schedule(epoch, lr) if schedule is not None else lr for lr in lr_values]
            self.scale = torch.tensor(rates, dtype=torch.float32).reshape(1, n_lrs, 1)
            self.order = torch.from_numpy(order)

        def step(self, start: int, stop: int) -> tuple[float, float]:
            idx = self.order[:, start:stop].reshape(-1)
            XT = X_t.index_select(0, idx).reshape(n_seeds, -1, X.shape[1]).transpose(1, 2)
            batch_losses = losses(forward(XT), y_t.index_select(0, idx).reshape(n_seeds, -1))
            for opt in opts:
                opt.zero_grad()
            batch_losses.sum().backward()
            with torch.no_grad():
                bad.copy_(bad | ~torch.isfinite(batch_losses))  # a diverged network is marked, not stopped
                for flat, opt in zip(flats, opts, strict=True):
                    before = flat.detach().clone()
                    opt.step()  # x - 1 * d
                    flat.sub_(before).mul_(self.scale).add_(before)  # x - lr * d
            return 0.0, 1.0  # the losses and rates of the networks are kept here, not by fit

        def evaluate(self) -> dict[str, float]:
            return {"loss": 0.0}

        def params(self) -> list[np.ndarray]:
            return []

    n = len(X)
    fit(Learner(), n, batch_size, epochs, seed=seeds, period=epochs * n)
    with torch.no_grad():  # the loss on the whole training set, in chunks to keep memory small
        total = torch.zeros(n_seeds, n_nets, dtype=torch.float64)
        for lo in range(0, n, 256):
            XT = X_t[lo:lo + 256].T.expand(n_seeds, -1, -1)
            total += losses(forward(XT), y_t[lo:lo + 256].expand(n_seeds, -1)).double() * XT.shape[-1]
        accuracy = None
        if X_test is not None:
            XT = torch.from_numpy(X_test).T.expand(n_seeds, -1, -1)
            hits = forward(XT).argmax(dim=2) == torch.from_numpy(np.asarray(y_test, dtype=np.int64))
            accuracy = _by_optimizer(hits.double().mean(dim=-1).numpy(), len(flats))
    final = _by_optimizer((total / n).numpy(), len(flats))
    diverged = _by_optimizer(bad.numpy(), len(flats)) | ~np.isfinite(final)
    return Sweep(tuple(optimizers), np.array(lr_values), seeds, final, diverged, accuracy)


def _by_optimizer(values: np.ndarray, n_optimizers: int) -> np.ndarray:
    """Reorder per-network values from (seeds, optimizers * lrs) to (optimizers, seeds, lrs)."""
    n_seeds = values.shape[0]
    return values.reshape(n_seeds, n_optimizers, -1).transpose(1, 0, 2)


def format_loss(value: float, width: int = 9) -> str:
    """A loss with 4 significant digits, right-aligned in ``width`` characters; ``'diverged'`` if inf/NaN.

    Raises:
        TypeError: if ``value`` is not a real number.
    """
    width = check_int("width", width, minimum=1)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"value must be a real number, got {type(value).__name__} {value!r}")
    text = f"{float(value):.4g}" if math.isfinite(value) else "diverged"
    return text.rjust(width)


def format_value(value: Any) -> str:
    """A table cell: floats with 4 significant digits (``'diverged'`` if inf or NaN), others with ``str``.

    ``None`` becomes ``'-'``.
    """
    if value is None:
        return "-"
    if isinstance(value, (float, np.floating)):
        return format_loss(float(value), 1)
    return str(value)


def print_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print ``rows`` under ``header`` in aligned columns: the first left-aligned, the others right-aligned.

    Cells are formatted with :func:`format_value`, so pass strings for any other format.

    Raises:
        ValueError: if ``header`` is empty or a row does not have one cell per column.
    """
    if len(header) == 0:
        raise ValueError("header must name at least one column")
    cells = [[str(h) for h in header]]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"row {i} has {len(row)} cells for {len(header)} columns")
        cells.append([format_value(v) for v in row])
    widths = [max(len(row[k]) for row in cells) for k in range(len(header))]
    for row in cells:
        first = row[0].ljust(widths[0])
        print("  ".join([first] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]).rstrip())


def plot_sweep(sweep: Sweep, cap: float = 10.0, ncols: int = 4,
               figsize: tuple[float, float] | None = None) -> None:
    """One panel per optimizer: final loss against the learning rate, both on log axes.

    The line is the median over the seeds, the band spans the smallest to the largest loss. A learning rate
    at which some seed diverged (inf or NaN) is marked with a red cross at the top of the panel; a finite
    median above ``cap`` is drawn at ``cap`` as a triangle. A dot marks :meth:`Sweep.best_lr`.

    Raises:
        TypeError: if ``sweep`` is not a Sweep.
        ValueError: if ``cap`` is not a finite positive number or ``ncols`` < 1.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    if not isinstance(sweep, Sweep):
        raise TypeError(f"sweep must be a Sweep (see lr_sweep), got {type(sweep).__name__}")
    cap = check_positive("cap", cap)
    ncols = check_int("ncols", ncols, minimum=1)
    ncols = min(ncols, len(sweep.names))
    nrows = -(-len(sweep.names) // ncols)
    if figsize is None:
        figsize = (1.75 * ncols + 0.4, 1.45 * nrows + 0.5)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, sharex=True, sharey=True, squeeze=False)
    finite = sweep.losses[np.isfinite(sweep.losses) & (sweep.losses > 0)]
    bottom = 10 ** math.floor(math.log10(finite.min())) if finite.size else cap / 10
    for ax, name in zip(axes.flat, sweep.names, strict=True):
        i = sweep.names.index(name)
        med = sweep.median(name)
        ok = np.isfinite(med)
        lo = np.where(sweep.diverged[i], np.nan, sweep.losses[i]).min(axis=0)
        hi = np.where(sweep.diverged[i], np.nan, sweep.losses[i]).max(axis=0)
        ax.fill_between(sweep.lrs[ok], np.minimum(lo[ok], cap), np.minimum(hi[ok], cap), color="C0",
                        alpha=0.25, linewidth=0)
        ax.plot(sweep.lrs[ok], np.minimum(med[ok], cap), "-", color="C0")
        over = ok & (med > cap)
        ax.plot(sweep.lrs[over], np.full(over.sum(), cap), "^", color="C1", markersize=5)
        ax.plot(sweep.lrs[~ok], np.full((~ok).sum(), cap), "x", color="r", markersize=6, clip_on=False)
        if ok.any():
            best = int(np.argmin(med))
            ax.plot([sweep.lrs[best]], [med[best]], "o", color="k", markersize=3.5)
        ax.set_title(name, fontsize=9)
    decades = range(int(math.floor(math.log10(sweep.lrs.min()))), int(math.ceil(math.log10(sweep.lrs.max()))) + 1)
    x_ticks = [10.0**k for k in decades if k % 2 == 0] or [10.0**k for k in decades]
    y_ticks = [10.0**k for k in range(int(math.log10(bottom)), int(math.floor(math.log10(cap))) + 1, 2)]
    for ax in axes.flat:  # few, fixed ticks: a log axis with automatic minor ticks is slow to draw
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(x_ticks)
        ax.set_yticks(y_ticks)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlim(sweep.lrs.min() / 2, sweep.lrs.max() * 2)
        ax.set_ylim(bottom, cap * 1.5)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.4)
    for ax in axes.flat[len(sweep.names):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("learning rate", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("final loss", fontsize=8)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.9, wspace=0.1, hspace=0.35)


def plot_histories(histories: Sequence[Run], figsize: tuple[float, float] = (7.0, 2.6),
                   legend: bool = True) -> None:
    """Training loss (log scale) and held-out accuracy against the epoch, side by side.

    A diverged run is drawn up to its last finite loss and marked with a red cross at the top.

    Raises:
        ValueError: if ``histories`` is empty.
        TypeError: if an entry is not a Run.
    """
    import matplotlib.pyplot as plt

    if not isinstance(histories, (list, tuple)) or not histories:
        raise ValueError("histories must be a non-empty list of Run objects")
    for h in histories:
        if not isinstance(h, Run):
            raise TypeError(f"histories must contain Run objects, got {type(h).__name__}")
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=figsize)
    styles = ["-", "--", "-.", ":"]
    for k, h in enumerate(histories):
        style = dict(color=f"C{k % 10}", linestyle=styles[(k // 10) % len(styles)], linewidth=1.2)
        epochs = h.epochs
        ok = np.isfinite(h.losses)
        ax_loss.plot(epochs[ok], h.losses[ok], label=h.name, **style)
        ax_acc.plot(epochs[ok], 100 * h.metrics["accuracy"][ok], **style)
        if h.diverged is not None:
            ax_loss.plot([epochs[-1]], [1.0], "rx", transform=ax_loss.get_xaxis_transform(), clip_on=False)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("training loss")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("held-out accuracy (%)")
    ax_acc.set_ylim(80, 100)
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.4)
    if legend:
        fig.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    fig.tight_layout(pad=0.3)

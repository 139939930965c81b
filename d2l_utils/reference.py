"""NumPy float64 reference implementations of the book's optimizers, with the frameworks' conventions.

Each function runs one optimizer for ``steps`` steps on a deterministic problem given by its gradient
function and returns the whole trajectory, so that a run of MXNet Gluon or ``torch.optim`` on the same
problem can be compared with it step by step. Where MXNet 1.9.1, PyTorch and the primary papers write an
update differently, a ``convention`` argument selects the form:

* ``'textbook'`` -- the formula of the primary paper, in the form the book teaches;
* ``'mxnet'`` -- what ``mxnet.optimizer`` (through ``gluon.Trainer``) computes;
* ``'torch'`` -- what ``torch.optim`` computes.

The docstring of every function states exactly what each convention changes. The forms were read from the
installed sources (``mxnet/optimizer/optimizer.py``, the fused operators it calls, ``torch/optim/*.py``)
and are checked against both frameworks in the book's appendix *Framework Conventions*.

Common arguments:

* ``grad`` -- a function ``x -> gradient`` on float64 vectors of shape ``(d,)`` (the gradient of the
  objective; a gradient *rescaling* such as Gluon's ``1 / batch_size`` belongs in this function);
* ``x0`` -- the starting point, a non-empty 1-D array-like of finite numbers;
* ``steps`` -- the number of updates, an integer >= 1;
* ``lr`` -- the learning rate: a number, or a sequence of ``steps`` numbers (one per step, for a
  schedule);
* ``weight_decay`` -- the decay coefficient; how it enters depends on the optimizer and the convention;
* ``float32_hyper`` -- round the hyperparameters to float32 where MXNet's fused update kernels receive
  them as float32 (``sgd_update``, ``sgd_mom_update``, ``nag_mom_update``, ``rmsprop_update``,
  ``rmspropalex_update``, ``adam_update``, ``contrib.adamw_update``).

Every function returns an array of shape ``(steps + 1, d)``: ``x0`` followed by the iterate after each
update. The arithmetic is float64 throughout. Every function raises ``TypeError`` or ``ValueError`` with a
message naming the argument when an argument has the wrong type or value; the adaptive methods raise
``FloatingPointError`` if they would divide by zero or take the root of a negative number (possible only
with ``eps = 0``).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import numpy as np

from d2l_utils._checks import check_choice, check_decay, check_int, check_nonneg, check_positive

__all__ = [
    "CONVENTIONS",
    "adadelta",
    "adagrad",
    "adam",
    "adamw",
    "format_difference",
    "max_difference",
    "momentum",
    "nadam",
    "rmsprop",
    "rmsprop_centered",
    "sgd",
]

#: The values of every ``convention`` argument.
CONVENTIONS = ("textbook", "mxnet", "torch")

#: A gradient function: float64 vector of shape (d,) -> float64 vector of shape (d,).
GradFn = Callable[[np.ndarray], np.ndarray]
#: A learning rate: a constant, or one number per step.
Rate = float | Sequence[float]


# ----------------------------------------------------------------------------------------------------------
# Argument checks
# ----------------------------------------------------------------------------------------------------------
def _rates(lr: Rate, steps: int) -> list[float]:
    """The learning rate of every step: a constant or a sequence of ``steps`` positive numbers."""
    if isinstance(lr, Real) and not isinstance(lr, bool):
        return [check_positive("lr", lr)] * steps
    if isinstance(lr, (str, bytes)) or not isinstance(lr, (Sequence, np.ndarray)):
        raise TypeError(f"lr must be a number or a sequence of numbers, got {type(lr).__name__} {lr!r}")
    rates = list(lr.tolist() if isinstance(lr, np.ndarray) else lr)
    if len(rates) != steps:
        raise ValueError(f"lr must be a number or a sequence of {steps} numbers (one per step), "
                         f"got {len(rates)} numbers")
    return [check_positive(f"lr[{i}]", r) for i, r in enumerate(rates)]


def _start(x0: Any) -> np.ndarray:
    try:
        x = np.array(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be a 1-D array-like of numbers, got {type(x0).__name__}") from None
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x0 must be a non-empty 1-D array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite")
    return x


def _gradient(grad: Any) -> GradFn:
    if not callable(grad):
        raise TypeError(f"grad must be a callable x -> gradient, got {type(grad).__name__}")

    def evaluate(x: np.ndarray) -> np.ndarray:
        g = np.asarray(grad(x.copy()), dtype=np.float64)
        if g.shape != x.shape:
            raise ValueError(f"grad must return an array of shape {x.shape}, got shape {g.shape}")
        return g

    return evaluate


def _common(grad: Any, x0: Any, steps: Any, lr: Any) -> tuple[GradFn, np.ndarray, int, list[float]]:
    g = _gradient(grad)
    x = _start(x0)
    steps = check_int("steps", steps, minimum=1)
    return g, x, steps, _rates(lr, steps)


def _f32(value: float, on: bool) -> float:
    """``value`` rounded to the nearest float32 if ``on``: what a fused MXNet kernel receives."""
    return float(np.float32(value)) if on else value


# ----------------------------------------------------------------------------------------------------------
# Optimizers
# ----------------------------------------------------------------------------------------------------------
def sgd(grad: GradFn, x0: Any, steps: int, *, lr: Rate, weight_decay: float = 0.0,
        convention: str = "textbook", float32_hyper: bool = False) -> np.ndarray:
    """Gradient descent, ``x <- x - lr (g + weight_decay x)``.

    All three conventions compute this; ``convention`` is accepted (and checked) so that every function of
    the module can be called the same way.

    Raises:
        TypeError / ValueError: on a bad argument (see the module docstring).
    """
    check_choice("convention", convention, CONVENTIONS)
    g, x, steps, rates = _common(grad, x0, steps, lr)
    wd = _f32(check_nonneg("weight_decay", weight_decay), float32_hyper)
    traj = [x]
    for lr_t in rates:
        lr_t = _f32(lr_t, float32_hyper)
        x = x - lr_t * (g(x) + wd * x)
        traj.append(x)
    return np.array(traj)


def momentum(grad: GradFn, x0: Any, steps: int, *, lr: Rate, beta: float, nesterov: bool = False,
             weight_decay: float = 0.0, convention: str = "textbook", float32_hyper: bool = False) -> np.ndarray:
    """Heavy-ball momentum (``nesterov=False``) or Nesterov momentum, with ``G = g + weight_decay x``.

    * ``'textbook'`` and ``'torch'`` (the learning rate outside the velocity, ``torch.optim.SGD``):
      ``v <- beta v + G``; ``x <- x - lr v``, or ``x <- x - lr (G + beta v)`` for Nesterov.
    * ``'mxnet'`` (the learning rate inside, Gluon's ``'sgd'`` with momentum and ``'nag'``):
      ``u <- beta u - lr G``; ``x <- x + u``, or ``x <- x + beta u - lr G`` for Nesterov. MXNet's
      ``nag_mom_update`` behaves as if it wrote the weight before reading it back for the velocity: for
      Nesterov the decay term of the velocity uses the *new* weight,
      ``u <- beta u - lr (g + weight_decay x_new)`` (measured; ``sgd_mom_update`` does not do this).

    The forms produce the same iterates while ``lr`` is constant (``u = -lr v``); they differ after a
    change of ``lr``, which rescales the whole velocity at once only with ``lr`` outside.

    Raises:
        TypeError / ValueError: on a bad argument; ``beta`` must be in [0, 1).
    """
    g, x, steps, rates = _common(grad, x0, steps, lr)
    beta = _f32(check_decay("beta", beta), float32_hyper)
    wd = _f32(check_nonneg("weight_decay", weight_decay), float32_hyper)
    convention = check_choice("convention", convention, CONVENTIONS)
    if not isinstance(nesterov, bool):
        raise TypeError(f"nesterov must be True or False, got {nesterov!r}")
    v = np.zeros_like(x)
    traj = [x]
    for lr_t in rates:
        lr_t = _f32(lr_t, float32_hyper)
        grad_t = g(x)
        G = grad_t + wd * x
        if convention == "mxnet":
            if nesterov:
                x_new = x + beta * (beta * v - lr_t * G) - lr_t * G
                v = beta * v - lr_t * (grad_t + wd * x_new)
                x = x_new
            else:
                v = beta * v - lr_t * G
                x = x + v
        else:
            v = beta * v + G
            x = x - lr_t * (G + beta * v if nesterov else v)
        traj.append(x)
    return np.array(traj)


def adagrad(grad: GradFn, x0: Any, steps: int, *, lr: Rate, eps: float, initial_accumulator: float = 0.0,
            weight_decay: float = 0.0, convention: str = "textbook") -> np.ndarray:
    """Adagrad: ``s <- s + G^2`` from ``s = initial_accumulator``, then a step ``G`` over a root of ``s``.

    * ``'textbook'`` (Duchi et al. 2011) and ``'torch'``: ``G = g + weight_decay x``;
      ``x <- x - lr G / (sqrt(s) + eps)``.
    * ``'mxnet'``: ``eps`` inside the root and the decay applied to the weight, outside the adaptive
      scaling: ``G = g``; ``x <- x - lr (G / sqrt(s + eps) + weight_decay x)``.

    ``initial_accumulator`` is ``torch.optim.Adagrad``'s ``initial_accumulator_value``; MXNet always starts
    from 0. With ``weight_decay = 0``, the ``'mxnet'`` form equals the ``'torch'`` form with
    ``initial_accumulator = eps`` and ``eps = 0``.

    Raises:
        TypeError / ValueError: on a bad argument; ``eps`` and ``initial_accumulator`` must be >= 0.
    """
    g, x, steps, rates = _common(grad, x0, steps, lr)
    eps = check_nonneg("eps", eps)
    s = np.full_like(x, check_nonneg("initial_accumulator", initial_accumulator))
    wd = check_nonneg("weight_decay", weight_decay)
    convention = check_choice("convention", convention, CONVENTIONS)
    traj = [x]
    with np.errstate(divide="raise", invalid="raise"):
        for lr_t in rates:
            if convention == "mxnet":
                G = g(x)
                s = s + G * G
                x = x - lr_t * (G / np.sqrt(s + eps) + wd * x)
            else:
                G = g(x) + wd * x
                s = s + G * G
                x = x - lr_t * G / (np.sqrt(s) + eps)
            traj.append(x)
    return np.array(traj)


def rmsprop(grad: GradFn, x0: Any, steps: int, *, lr: Rate, gamma: float, eps: float,
            weight_decay: float = 0.0, convention: str = "textbook", float32_hyper: bool = False) -> np.ndarray:
    """RMSProp (Tieleman & Hinton 2012): ``G = g + weight_decay x``; ``s <- gamma s + (1 - gamma) G^2``.

    * ``'textbook'`` and ``'torch'``: ``x <- x - lr G / (sqrt(s) + eps)`` (``eps`` outside the root, as in
      Adagrad and Adam; the original slides have no ``eps``).
    * ``'mxnet'``: ``x <- x - lr G / sqrt(s + eps)`` (``eps`` inside the root).

    ``gamma`` is MXNet's ``gamma1`` and PyTorch's ``alpha``.

    Raises:
        TypeError / ValueError: on a bad argument; ``gamma`` must be in [0, 1), ``eps`` >= 0.
    """
    g, x, steps, rates = _common(grad, x0, steps, lr)
    gamma = _f32(check_decay("gamma", gamma), float32_hyper)
    eps = _f32(check_nonneg("eps", eps), float32_hyper)
    wd = _f32(check_nonneg("weight_decay", weight_decay), float32_hyper)
    convention = check_choice("convention", convention, CONVENTIONS)
    s = np.zeros_like(x)
    traj = [x]
    with np.errstate(divide="raise", invalid="raise"):
        for lr_t in rates:
            lr_t = _f32(lr_t, float32_hyper)
            G = g(x) + wd * x
            s = gamma * s + (1 - gamma) * G * G
            root = np.sqrt(s + eps) if convention == "mxnet" else np.sqrt(s) + eps
            x = x - lr_t * G / root
            traj.append(x)
    return np.array(traj)


def rmsprop_centered(grad: GradFn, x0: Any, steps: int, *, lr: Rate, gamma: float, momentum: float,
                     eps: float, weight_decay: float = 0.0, convention: str = "textbook",
                     float32_hyper: bool = False) -> np.ndarray:
    """Centered RMSProp with momentum: ``G = g + weight_decay x``, ``s <- gamma s + (1 - gamma) G^2``,
    ``m <- gamma m + (1 - gamma) G``, so that ``s - m^2`` estimates the variance of the gradient.

    * ``'textbook'`` (Graves 2013, eqs. 38-45) and ``'mxnet'`` (``rmspropalex_update``): ``eps`` inside the
      root and the learning rate inside the momentum: ``d <- momentum d - lr G / sqrt(s - m^2 + eps)``;
      ``x <- x + d``.
    * ``'torch'``: ``eps`` outside the root and the learning rate outside:
      ``b <- momentum b + G / (sqrt(s - m^2) + eps)``; ``x <- x - lr b``.

    ``gamma`` and ``momentum`` are MXNet's ``gamma1`` and ``gamma2``, PyTorch's ``alpha`` and ``momentum``.

    Raises:
        TypeError / ValueError: on a bad argument; ``gamma`` and ``momentum`` must be in [0, 1).
    """
    g, x, steps, rates = _common(grad, x0, steps, lr)
    gamma = _f32(check_decay("gamma", gamma), float32_hyper)
    mom = _f32(check_decay("momentum", momentum), float32_hyper)
    eps = _f32(check_nonneg("eps", eps), float32_hyper)
    wd = _f32(check_nonneg("weight_decay", weight_decay), float32_hyper)
    convention = check_choice("convention", convention, CONVENTIONS)
    s, m, d = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
    traj = [x]
    with np.errstate(divide="raise", invalid="raise"):
        for lr_t in rates:
            lr_t = _f32(lr_t, float32_hyper)
            G = g(x) + wd * x
            s = gamma * s + (1 - gamma) * G * G
            m = gamma * m + (1 - gamma) * G
            if convention == "torch":
                d = mom * d + G / (np.sqrt(s - m * m) + eps)
                x = x - lr_t * d
            else:
                d = mom * d - lr_t * G / np.sqrt(s - m * m + eps)
                x = x + d
            traj.append(x)
    return np.array(traj)


def _adam_core(grad: Any, x0: Any, steps: Any, lr: Any, beta1: Any, beta2: Any, eps: Any, weight_decay: Any,
               decoupled: bool, convention: Any, float32_hyper: bool) -> np.ndarray:
    """Adam (``decoupled=False``, decay added to the gradient) or AdamW (decay applied to the weight)."""
    g, x, steps, rates = _common(grad, x0, steps, lr)
    beta1, beta2 = check_decay("beta1", beta1), check_decay("beta2", beta2)
    eps, wd = check_positive("eps", eps), check_nonneg("weight_decay", weight_decay)
    convention = check_choice("convention", convention, CONVENTIONS)
    # The fused kernels see float32 copies of beta1, beta2, eps and weight_decay; MXNet's Python code
    # computes the bias corrections from the exact (float64) betas and rounds the folded rate once.
    b1, b2 = _f32(beta1, float32_hyper), _f32(beta2, float32_hyper)
    eps_k, wd_k = _f32(eps, float32_hyper), _f32(wd, float32_hyper)
    v, s = np.zeros_like(x), np.zeros_like(x)
    traj = [x]
    with np.errstate(divide="raise", invalid="raise"):
        for t, lr_t in enumerate(rates, start=1):
            G = g(x) if decoupled else g(x) + wd_k * x
            v = b1 * v + (1 - b1) * G
            s = b2 * s + (1 - b2) * G * G
            c1, c2 = 1 - beta1**t, 1 - beta2**t
            if convention == "mxnet":
                if decoupled:   # contrib.adamw_update(lr=sqrt(c2)/c1, eta=lr_t, wd=weight_decay)
                    x = x - _f32(lr_t, float32_hyper) * (
                        _f32(math.sqrt(c2) / c1, float32_hyper) * v / (np.sqrt(s) + eps_k) + wd_k * x)
                else:           # adam_update(lr=lr_t sqrt(c2) / c1)
                    x = x - _f32(lr_t * math.sqrt(c2) / c1, float32_hyper) * v / (np.sqrt(s) + eps_k)
            else:
                step = (v / c1) / (np.sqrt(s / c2) + eps_k)
                x = x - lr_t * (step + wd_k * x) if decoupled else x - lr_t * step
            traj.append(x)
    return np.array(traj)


def adam(grad: GradFn, x0: Any, steps: int, *, lr: Rate, beta1: float, beta2: float, eps: float,
         weight_decay: float = 0.0, convention: str = "textbook", float32_hyper: bool = False) -> np.ndarray:
    """Adam (Kingma & Ba 2015) with the decay added to the gradient, ``G = g + weight_decay x``:
    ``v <- beta1 v + (1 - beta1) G``, ``s <- beta2 s + (1 - beta2) G^2``.

    * ``'textbook'`` and ``'torch'``: ``x <- x - lr v_hat / (sqrt(s_hat) + eps)`` with the bias-corrected
      ``v_hat = v / (1 - beta1^t)``, ``s_hat = s / (1 - beta2^t)``.
    * ``'mxnet'``: the corrections folded into the rate,
      ``x <- x - lr sqrt(1 - beta2^t) / (1 - beta1^t) v / (sqrt(s) + eps)``, which is the textbook form
      with ``eps`` replaced by ``eps / sqrt(1 - beta2^t)``.

    Raises:
        TypeError / ValueError: on a bad argument; ``beta1``, ``beta2`` must be in [0, 1), ``eps`` > 0.
    """
    return _adam_core(grad, x0, steps, lr, beta1, beta2, eps, weight_decay, False, convention, float32_hyper)


def adamw(grad: GradFn, x0: Any, steps: int, *, lr: Rate, beta1: float, beta2: float, eps: float,
          weight_decay: float, convention: str = "textbook", float32_hyper: bool = False) -> np.ndarray:
    """AdamW (Loshchilov & Hutter 2019): Adam on the plain gradient, the decay applied to the weight.

    * ``'textbook'`` and ``'torch'`` (Loshchilov & Hutter's Algorithm 2 with ``alpha = 1`` and the
      schedule multiplier ``eta_t = lr``, which is ``torch.optim.AdamW``):
      ``x <- x - lr (v_hat / (sqrt(s_hat) + eps) + weight_decay x)``.
    * ``'mxnet'``: ``mx.nd.contrib.adamw_update`` with the bias corrections folded into its ``lr`` as in
      MXNet's Adam, ``eta = lr`` and ``wd = weight_decay``:
      ``x <- x - lr (sqrt(1 - beta2^t) / (1 - beta1^t) v / (sqrt(s) + eps) + weight_decay x)``.

    Raises:
        TypeError / ValueError: on a bad argument; ``beta1``, ``beta2`` must be in [0, 1), ``eps`` > 0.
    """
    return _adam_core(grad, x0, steps, lr, beta1, beta2, eps, weight_decay, True, convention, float32_hyper)


def adadelta(grad: GradFn, x0: Any, steps: int, *, rho: float, eps: float, lr: Rate | None = None,
             weight_decay: float = 0.0, convention: str = "textbook") -> np.ndarray:
    """Adadelta (Zeiler 2012): ``s <- rho s + (1 - rho) G^2``,
    ``delta = sqrt(r + eps) / sqrt(s + eps) G``, ``r <- rho r + (1 - rho) delta^2``.

    * ``'textbook'``: ``G = g + weight_decay x``; ``x <- x - delta``. There is no learning rate.
    * ``'mxnet'``: ``G = g``; ``x <- x - delta - weight_decay x`` (the decay is applied to the weight and
      not scaled by any rate); Gluon's ``learning_rate`` is ignored.
    * ``'torch'``: ``G = g + weight_decay x``; ``x <- x - lr delta`` (``lr`` defaults to 1.0; ``r``
      accumulates the unscaled ``delta``).

    Raises:
        TypeError / ValueError: on a bad argument, or if ``lr`` is given with a convention other than
            ``'torch'``.
    """
    convention = check_choice("convention", convention, CONVENTIONS)
    if lr is not None and convention != "torch":
        raise ValueError(f"the {convention} form of Adadelta has no learning rate; pass lr only with "
                         f"convention='torch'")
    g, x, steps, rates = _common(grad, x0, steps, 1.0 if lr is None else lr)
    rho, eps = check_decay("rho", rho), check_positive("eps", eps)
    wd = check_nonneg("weight_decay", weight_decay)
    s, r = np.zeros_like(x), np.zeros_like(x)
    traj = [x]
    for lr_t in rates:
        G = g(x) if convention == "mxnet" else g(x) + wd * x
        s = rho * s + (1 - rho) * G * G
        delta = np.sqrt(r + eps) / np.sqrt(s + eps) * G
        r = rho * r + (1 - rho) * delta * delta
        x = x - delta - wd * x if convention == "mxnet" else x - lr_t * delta
        traj.append(x)
    return np.array(traj)


def nadam(grad: GradFn, x0: Any, steps: int, *, lr: Rate, beta1: float, beta2: float, eps: float,
          momentum_decay: float = 0.004, weight_decay: float = 0.0, blocks: Sequence[int] | None = None,
          convention: str = "textbook") -> np.ndarray:
    """Nadam (Dozat 2016) with the momentum schedule ``mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay))``.

    With ``G = g + weight_decay x``, ``v <- beta1 v + (1 - beta1) G``, ``s <- beta2 s + (1 - beta2) G^2``
    and ``P_t = mu_1 ... mu_t``:
    ``x <- x - lr ((1 - mu_t) G / (1 - P_t) + mu_{t+1} v / (1 - P_t mu_{t+1})) / (sqrt(s / (1 - beta2^t)) + eps)``.

    ``blocks`` splits ``x`` into parameters of these sizes, in update order (default: one parameter).
    Only the ``'mxnet'`` form depends on it: ``mxnet.optimizer.Nadam`` keeps one product ``P`` for all
    parameters and multiplies it by ``mu_t`` at *every parameter's* update, so with ``k`` parameters the
    ``j``-th (``j = 1..k``) uses ``P = (mu_1 ... mu_{t-1})^k mu_t^j``. The ``'textbook'`` and ``'torch'``
    forms keep one product per parameter (PyTorch stores it as a scalar tensor of its default dtype, float32,
    which rounds it to about 1e-7 relative).

    Raises:
        TypeError / ValueError: on a bad argument, or if ``blocks`` are not positive integers that add up
            to the size of ``x0``.
    """
    g, x, steps, rates = _common(grad, x0, steps, lr)
    beta1, beta2 = check_decay("beta1", beta1), check_decay("beta2", beta2)
    eps, wd = check_positive("eps", eps), check_nonneg("weight_decay", weight_decay)
    psi = check_nonneg("momentum_decay", momentum_decay)
    convention = check_choice("convention", convention, CONVENTIONS)
    sizes = [x.size] if blocks is None else [check_int("blocks[i]", b, minimum=1) for b in blocks]
    if sum(sizes) != x.size:
        raise ValueError(f"blocks must add up to the size of x0 ({x.size}), got {list(sizes)}")
    bounds = np.cumsum([0] + sizes)
    v, s = np.zeros_like(x), np.zeros_like(x)
    product = 1.0  # MXNet's shared m_schedule, or the per-parameter product of the other forms
    traj = [x]
    for t, lr_t in enumerate(rates, start=1):
        G = g(x) + wd * x
        v = beta1 * v + (1 - beta1) * G
        s = beta2 * s + (1 - beta2) * G * G
        mu, mu_next = (beta1 * (1 - 0.5 * 0.96 ** (k * psi)) for k in (t, t + 1))
        denom = np.sqrt(s / (1 - beta2**t)) + eps
        x = x.copy()
        if convention != "mxnet":
            product *= mu
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            if convention == "mxnet":
                product *= mu
            step = (1 - mu) * G / (1 - product) + mu_next * v / (1 - product * mu_next)
            x[lo:hi] -= lr_t * step[lo:hi] / denom[lo:hi]
        traj.append(x)
    return np.array(traj)


# ----------------------------------------------------------------------------------------------------------
# Comparing trajectories
# ----------------------------------------------------------------------------------------------------------
def max_difference(a: Any, b: Any) -> float:
    """The largest absolute entry of ``a - b`` over two trajectories (or points) of the same shape.

    Raises:
        ValueError: if the shapes differ, the arrays are empty, or an entry is not finite.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"the arrays must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("the arrays are empty")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("the arrays must be finite")
    return float(np.max(np.abs(a - b)))


def format_difference(d: float, floor: float = 1e-5) -> str:
    """Format a measured difference for a printed table that must read the same on every CPU.

    A difference below ``floor`` (by default 1e-5, above float32 rounding of numbers of order 1, whose last
    digits depend on the processor's vector instructions) prints as ``'< 1e-5'``; a larger one in
    scientific notation with two significant digits, ``'3.1e-03'``.

    Raises:
        TypeError: if ``d`` or ``floor`` is not a real number.
        ValueError: if ``d`` is negative or not finite, or ``floor`` is not > 0.
    """
    d, floor = check_nonneg("d", d), check_positive("floor", floor)
    if d < floor:
        mantissa, exponent = f"{floor:.0e}".split("e")
        return f"< {mantissa}e{int(exponent)}"
    return f"{d:.1e}"

"""Run an optimizer's update rule on a toy problem and report where it ends."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from d2l_utils._checks import check_int

#: An update rule: takes the current point and the optimizer state, returns the new point and state.
Update = Callable[[np.ndarray, Any], "tuple[np.ndarray, Any]"]


def _format_point(x: np.ndarray) -> str:
    flat = np.atleast_1d(x).astype(float)
    if flat.size == 1:
        return f"x: {flat[0]:f}"
    return ", ".join(f"x{i + 1}: {v:f}" for i, v in enumerate(flat))


def optimize(update: Update, x0: Any, steps: int, state: Any = None, verbose: bool = True) -> np.ndarray:
    """Apply ``x, state = update(x, state)`` ``steps`` times, starting from ``x0``.

    ``x0`` is a number (a 1-D problem) or a vector. Inside ``update`` the point is a float64 NumPy array
    of the same shape, so the rule can be written exactly like its equation, e.g.
    ``lambda x, s: (x - eta * grad(x), s)``.

    With ``verbose`` the endpoint is printed as ``step 20, x1: -0.057646, x2: -0.000073``. If an iterate
    overflows to inf or NaN the run stops there, prints ``diverged at step k: ...`` and returns only the
    finite part, so a plot shows the blow-up rather than garbage.

    Returns:
        The iterates, shape ``(k + 1,)`` for a scalar ``x0`` or ``(k + 1, d)`` for a vector, where
        ``k == steps`` unless the run diverged.

    Raises:
        TypeError: if ``update`` is not callable or does not return an ``(x, state)`` pair.
        ValueError: if ``steps`` < 1, or ``x0`` is empty, not finite, or has more than one axis.
    """
    if not callable(update):
        raise TypeError(f"update must be a callable (x, state) -> (x, state), got {update!r}")
    steps = check_int("steps", steps, minimum=1)
    try:
        x = np.array(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be a number or a vector of numbers, got {x0!r}") from None
    if x.ndim > 1 or x.size == 0:
        raise ValueError(f"x0 must be a number or a non-empty vector, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    trace = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            result = update(x, state)
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError("update must return a pair (x, state); got "
                                f"{type(result).__name__} {result!r}")
            x = np.array(result[0], dtype=np.float64).reshape(trace[0].shape)
            state = result[1]
            if not np.all(np.isfinite(x)):
                if verbose:
                    print(f"diverged at step {step}: {_format_point(x)}")
                return np.stack(trace)
            trace.append(x.copy())
    if verbose:
        print(f"step {steps}, {_format_point(x)}")
    return np.stack(trace)

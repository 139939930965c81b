"""Argument checks shared by the modules of :mod:`d2l_utils` (not part of the public API)."""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``[minimum, maximum]``; raise a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number > 0; raise a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``; raise a ``ValueError`` listing the choices."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def check_gluon_optimizer(optimizer: Any, hparams: Any) -> None:
    """Check the arguments of a ``gluon.Trainer``: a known optimizer name and a dict with a learning rate.

    Raises:
        ValueError: on an optimizer name MXNet does not know, or ``hparams`` without ``'learning_rate'``.
    """
    from collections.abc import Mapping

    import mxnet as mx

    known = tuple(sorted(mx.optimizer.Optimizer.opt_registry))
    if not isinstance(optimizer, str) or optimizer.lower() not in known:
        raise ValueError(f"optimizer must be one of MXNet's optimizer names ({', '.join(known)}); "
                         f"got {optimizer!r}")
    if not isinstance(hparams, Mapping) or "learning_rate" not in hparams:
        raise ValueError(f"hparams must be a dict with a 'learning_rate' entry, got {hparams!r}")

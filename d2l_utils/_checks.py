"""The argument checks of :mod:`d2l_utils`: one function per kind of argument, one message per mistake.

Every public function of the package validates its arguments through these, so the same mistake reads the
same everywhere, e.g. ``lr must be a finite number > 0, got 0.0``.
"""
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


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number; raise a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number > 0; raise a clear error otherwise."""
    if isinstance(value, Real) and not isinstance(value, bool) and not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {float(value)}")
    return check_real(name, value)


def check_nonneg(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number >= 0; raise a clear error otherwise."""
    if isinstance(value, Real) and not isinstance(value, bool) and not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {float(value)}")
    return check_real(name, value)


def check_decay(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a decay rate in ``[0, 1)``; raise a clear error otherwise."""
    if isinstance(value, Real) and not isinstance(value, bool) and not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {float(value)}")
    return check_real(name, value)


def check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``; raise a ``ValueError`` listing the choices."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value

"""Printing numbers the same way in every chapter."""
from __future__ import annotations

from typing import Any

import numpy as np

from d2l_utils._checks import check_int


def format_vector(v: Any, decimals: int = 4, width: int = 0) -> str:
    """Format a vector as ``[1.9995, -3.4004]`` with fixed decimals, printing ``-0.0000`` as ``0.0000``.

    ``width`` right-aligns every entry in a field of that many characters, for tables.

    Raises:
        ValueError: if ``v`` is not a 1-D sequence of numbers, or ``decimals`` or ``width`` is negative.
        TypeError: if ``decimals`` or ``width`` is not an integer.
    """
    decimals = check_int("decimals", decimals, minimum=0)
    width = check_int("width", width, minimum=0)
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"v must be a vector of numbers, got {v!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"v must be a vector (1-D), got shape {arr.shape}")
    rounded = np.round(arr, decimals) + 0.0  # adding 0.0 turns -0.0 into 0.0
    return "[" + ", ".join(f"{u:{width}.{decimals}f}" for u in rounded) + "]"

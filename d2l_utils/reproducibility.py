"""One call that makes a notebook's randomness repeatable."""
from __future__ import annotations

import random

import numpy as np

from d2l_utils import frameworks
from d2l_utils._checks import check_int


def seed_everything(seed: int = 0) -> None:
    """Seed Python's :mod:`random`, NumPy's legacy global generator and every installed framework.

    A framework that is not installed is skipped, so the call also serves a reader with one framework. Code
    that needs its own stream should still create ``np.random.default_rng(seed)`` explicitly; this call
    fixes everything that draws from the globals.

    Raises:
        TypeError: if ``seed`` is not an integer.
        ValueError: if ``seed`` is outside ``[0, 2**32 - 1]`` (the range every library accepts).
    """
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    for name in frameworks.NAMES:
        if frameworks.available(name):
            frameworks.get(name).seed(seed)

"""Data for the book's experiments: the synthetic linear-regression set and a shared minibatch order."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from d2l_utils._checks import check_int

#: The book's canonical problem (CONTRIBUTING.md, canonical experiments): y = X w + b + noise.
TRUE_W = (2.0, -3.4)
TRUE_B = 4.2


@dataclass(frozen=True)
class LinearData:
    """A linear-regression data set and the parameters that generated it.

    ``features`` has shape ``(n, d)`` and ``labels`` shape ``(n,)``, both float32 (the default dtype of
    MXNet and PyTorch), so every framework starts from the same numbers.
    """

    features: np.ndarray
    labels: np.ndarray
    true_w: np.ndarray
    true_b: float

    @property
    def n(self) -> int:
        """Number of examples."""
        return len(self.labels)


def synthetic_linear_data(n: int = 1000, w: tuple[float, ...] = TRUE_W, b: float = TRUE_B,
                          noise: float = 0.01, seed: int = 0) -> LinearData:
    """Draw ``n`` examples with standard-normal features and labels ``X w + b + N(0, noise^2)``.

    The defaults are the book's canonical problem: 1000 examples, w = [2, -3.4], b = 4.2, noise 0.01.

    Raises:
        ValueError: if ``n`` < 1, ``w`` is empty or ``noise`` is negative.
    """
    n = check_int("n", n, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    w_arr = np.asarray(w, dtype=np.float64).reshape(-1)
    if w_arr.size == 0:
        raise ValueError("w must have at least one coefficient")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, w_arr.size))
    labels = features @ w_arr + b + rng.normal(scale=noise, size=n)
    return LinearData(features.astype(np.float32), labels.astype(np.float32), w_arr, float(b))


def epoch_order(n: int, rng: np.random.Generator) -> np.ndarray:
    """The order in which one epoch visits the ``n`` examples: a permutation drawn from ``rng``.

    Raises:
        TypeError: if ``rng`` is not a ``numpy.random.Generator``.
    """
    n = check_int("n", n, minimum=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng.permutation(n)


def minibatch_indices(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Yield the example indices of one epoch in shuffled minibatches (the last one may be smaller).

    The order comes from ``rng`` alone, so two runs that pass generators with the same seed, one in MXNet
    and one in PyTorch, see exactly the same batches in the same order.

    Raises:
        ValueError: if ``batch_size`` is not in ``[1, n]``.
        TypeError: if ``rng`` is not a ``numpy.random.Generator``.
    """
    n = check_int("n", n, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=n)
    order = epoch_order(n, rng)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]

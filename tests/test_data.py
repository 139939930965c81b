"""Tests of d2l_utils.data: the synthetic linear-regression set and the shared minibatch order."""
import numpy as np
import pytest

import d2l_utils as d2l
from d2l_utils.data import epoch_order


def test_canonical_data_set():
    data = d2l.synthetic_linear_data()
    assert data.features.shape == (1000, 2) and data.labels.shape == (1000,)
    assert data.features.dtype == np.float32 and data.labels.dtype == np.float32
    np.testing.assert_array_equal(data.true_w, [2.0, -3.4])
    assert data.true_b == 4.2 and data.n == 1000
    residual = data.labels - (data.features.astype(np.float64) @ data.true_w + data.true_b)
    assert abs(residual.std() - 0.01) < 0.001  # the label noise is N(0, 0.01^2)
    assert abs(residual.mean()) < 0.002


def test_data_is_seeded():
    a, b, c = (d2l.synthetic_linear_data(seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(a.features, b.features)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.features, c.features)


def test_custom_problem():
    data = d2l.synthetic_linear_data(n=5, w=(1.0, 2.0, 3.0), b=-1.0, noise=0.0)
    np.testing.assert_allclose(data.labels, data.features.astype(np.float64) @ [1, 2, 3] - 1, rtol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0), "n must be >= 1, got 0"),
    (dict(w=()), "w must have at least one coefficient"),
    (dict(noise=-0.1), "noise must be >= 0, got -0.1"),
    (dict(seed=-3), "seed must be >= 0, got -3"),
])
def test_bad_data_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        d2l.synthetic_linear_data(**kwargs)


def test_minibatches_cover_every_example_once():
    batches = list(d2l.minibatch_indices(10, 4, np.random.default_rng(0)))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def test_same_seed_same_order_in_every_framework_run():
    first = list(d2l.minibatch_indices(100, 10, np.random.default_rng(7)))
    second = list(d2l.minibatch_indices(100, 10, np.random.default_rng(7)))
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    other = np.concatenate(list(d2l.minibatch_indices(100, 10, np.random.default_rng(8))))
    assert not np.array_equal(np.concatenate(first), other)


def test_minibatches_follow_epoch_order():
    order = epoch_order(10, np.random.default_rng(3))
    batches = np.concatenate(list(d2l.minibatch_indices(10, 3, np.random.default_rng(3))))
    np.testing.assert_array_equal(order, batches)


@pytest.mark.parametrize("n, batch_size, rng, error, message", [
    (10, 0, np.random.default_rng(0), ValueError, "batch_size must be >= 1, got 0"),
    (10, 11, np.random.default_rng(0), ValueError, "batch_size must be <= 10, got 11"),
    (10, 2, 0, TypeError, "rng must be a numpy.random.Generator, got int"),
    (0, 1, np.random.default_rng(0), ValueError, "n must be >= 1, got 0"),
])
def test_bad_minibatch_arguments(n, batch_size, rng, error, message):
    with pytest.raises(error, match=message):
        list(d2l.minibatch_indices(n, batch_size, rng))

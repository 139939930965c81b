"""Tests of d2l_utils.reproducibility and the shared argument checks."""
import random

import mxnet as mx
import numpy as np
import pytest
import torch

import d2l_utils as d2l
from d2l_utils._checks import check_choice, check_int, check_positive


def draw_all():
    return (random.random(), np.random.rand(), float(mx.nd.random.uniform().asscalar()),
            float(torch.rand(1)))


def test_seed_everything_repeats_every_generator():
    d2l.seed_everything(3)
    first = draw_all()
    d2l.seed_everything(3)
    assert draw_all() == first


def test_seed_everything_different_seeds_differ():
    d2l.seed_everything(1)
    first = draw_all()
    d2l.seed_everything(2)
    second = draw_all()
    assert all(a != b for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("seed, error, message", [
    (-1, ValueError, "seed must be >= 0, got -1"),
    (2**32, ValueError, "seed must be <= 4294967295"),
    (1.5, TypeError, "seed must be an integer, got float 1.5"),
    (True, TypeError, "seed must be an integer, got bool"),
    ("0", TypeError, "seed must be an integer, got str '0'"),
])
def test_seed_everything_rejects_bad_seeds(seed, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        d2l.seed_everything(seed)


def test_check_int_accepts_numpy_integers():
    assert check_int("n", np.int64(5), minimum=1) == 5


@pytest.mark.parametrize("value, message", [
    (0.0, "lr must be a finite number > 0, got 0.0"),
    (-1, "lr must be a finite number > 0, got -1.0"),
    (float("inf"), "lr must be a finite number > 0, got inf"),
    (float("nan"), "lr must be a finite number > 0, got nan"),
])
def test_check_positive_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        check_positive("lr", value)


def test_check_positive_type():
    with pytest.raises(TypeError, match="lr must be a real number, got str"):
        check_positive("lr", "0.1")
    assert check_positive("lr", 0.5) == 0.5


def test_check_choice():
    assert check_choice("scale", "log", ("linear", "log")) == "log"
    with pytest.raises(ValueError, match="scale must be one of 'linear', 'log'; got 'cubic'"):
        check_choice("scale", "cubic", ("linear", "log"))

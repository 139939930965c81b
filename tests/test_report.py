"""Tests of d2l_utils.report.format_vector."""
import numpy as np
import pytest

import d2l_utils as d2l


def test_default_format_matches_the_harness_lines():
    assert d2l.format_vector([1.99954, -3.40036]) == "[1.9995, -3.4004]"


def test_negative_zero_and_width():
    assert d2l.format_vector(np.array([-0.00001, 2.5]), width=8) == "[  0.0000,   2.5000]"
    assert d2l.format_vector([1 / 3], decimals=2) == "[0.33]"


@pytest.mark.parametrize("args, error, message", [
    (([[1.0, 2.0]],), ValueError, r"v must be a vector \(1-D\), got shape \(1, 2\)"),
    ((["a"],), ValueError, "v must be a vector of numbers"),
    (([1.0], -1), ValueError, "decimals must be >= 0, got -1"),
    (([1.0], 4, 2.5), TypeError, "width must be an integer"),
])
def test_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        d2l.format_vector(*args)

"""Tests of d2l_utils.plotting: what is drawn, determinism of the SVG, and argument errors."""
import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import d2l_utils as d2l

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def fresh_figure():
    plt.close("all")
    yield
    plt.close("all")


def lines():
    return plt.gca().get_lines()


def test_plot_one_series_against_index():
    d2l.plot([1.0, 4.0, 9.0])
    (line,) = lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(line.get_ydata(), [1, 4, 9])


def test_plot_shared_x_legend_labels_and_scales():
    x = np.arange(1.0, 4.0)
    d2l.plot(x, [x, x**2], "epoch", "loss", legend=["a", "b"], yscale="log", xlim=(1, 3))
    ax = plt.gca()
    assert len(lines()) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()) == ("epoch", "loss", "log")
    assert ax.get_xlim() == (1.0, 3.0)


def test_plot_leaves_out_non_finite_points():
    d2l.plot([0.0, 1.0, 2.0, 3.0], [[1.0, 10.0, np.inf, np.nan]])
    (line,) = lines()
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 10.0])


def test_plot_figsize():
    d2l.plot([1.0, 2.0], figsize=(4, 3))
    assert tuple(plt.gcf().get_size_inches()) == (4.0, 3.0)


@pytest.mark.parametrize("args, kwargs, message", [
    (([],), {}, "X must be a non-empty sequence"),
    (([0.0, 1.0], [[1.0, 2.0, 3.0]]), {}, "curve 0: x has 2 points but y has 3"),
    (([[0.0, 1.0], [0.0, 1.0]], [[1.0, 2.0]] * 3), {}, "got 2 x-series for 3 y-series"),
    (([1.0, 2.0],), {"legend": ["a", "b"]}, "legend has 2 entries for 1 curves"),
    (([1.0, 2.0],), {"yscale": "cubic"}, "yscale must be one of"),
    (([1.0, 2.0],), {"figsize": (3,)}, r"figsize must be a \(width, height\) pair"),
    (([1.0, 2.0],), {"figsize": (3, -1)}, "figsize height must be a finite number > 0"),
])
def test_plot_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        d2l.plot(*args, **kwargs)


def test_set_figsize():
    d2l.set_figsize((5, 2))
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (5.0, 2.0)
    with pytest.raises(ValueError, match="figsize width must be a finite number > 0"):
        d2l.set_figsize((0, 2))
    d2l.set_figsize()


def test_show_trace_1d_draws_function_and_iterates():
    trace = [10.0, 6.0, 3.6]
    d2l.show_trace_1d(lambda x: x**2, trace)
    curve, points = lines()
    np.testing.assert_array_equal(points.get_xdata(), trace)
    np.testing.assert_array_equal(points.get_ydata(), np.square(trace))
    assert curve.get_xdata().min() < 3.6 and curve.get_xdata().max() > 10.0


@pytest.mark.parametrize("trace, message", [
    ([], "the trace is empty"),
    ([[1.0, 2.0]], r"a 1-D trace must be a sequence of numbers, got shape \(1, 2\)"),
    ([1.0, np.inf], "the trace contains inf or NaN"),
])
def test_show_trace_1d_rejects(trace, message):
    with pytest.raises(ValueError, match=message):
        d2l.show_trace_1d(np.square, trace)


def test_show_trace_1d_rejects_bad_xlim_and_num():
    with pytest.raises(ValueError, match="xlim must be an increasing pair"):
        d2l.show_trace_1d(np.square, [1.0], xlim=(2, 1))
    with pytest.raises(ValueError, match="num must be >= 2"):
        d2l.show_trace_1d(np.square, [1.0], num=1)


def test_show_trace_2d_draws_contours_and_path():
    trace = np.array([[-5.0, -2.0], [-4.0, -1.2], [-3.2, -0.72]])
    d2l.show_trace_2d(lambda a, b: a**2 + 2 * b**2, trace)
    ax = plt.gca()
    (path,) = ax.get_lines()
    np.testing.assert_array_equal(path.get_xydata(), trace)
    assert len(ax.collections) >= 1  # the contour set
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")


@pytest.mark.parametrize("trace, kwargs, message", [
    ([1.0, 2.0], {}, r"a 2-D trace must have shape \(steps \+ 1, 2\)"),
    ([[1.0, np.nan]], {}, "the trace contains inf or NaN"),
    ([[1.0, 2.0]], {"ylim": (1, 1)}, "axis limits must be increasing pairs"),
    ([[1.0, 2.0]], {"levels": 0}, "levels must be >= 1"),
])
def test_show_trace_2d_rejects(trace, kwargs, message):
    with pytest.raises(ValueError, match=message):
        d2l.show_trace_2d(lambda a, b: a + b, trace, **kwargs)


def svg_of_current_figure():
    buf = io.StringIO()
    plt.gcf().savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def test_use_svg_display_makes_svg_output_deterministic():
    d2l.use_svg_display()  # outside IPython: only the rcParams change
    assert matplotlib.rcParams["svg.hashsalt"] == "d2l-optim"
    outputs = []
    for _ in range(2):
        plt.close("all")
        d2l.plot([1.0, 2.0, 4.0], xlabel="x")
        outputs.append(svg_of_current_figure())
    assert outputs[0] == outputs[1]
    assert "<dc:date>" not in outputs[0]

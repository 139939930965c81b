"""Plotting helpers: crisp, deterministic figures for the book and its slides.

Figures are SVG with a fixed hash salt and no date stamp, so re-executing a notebook produces
byte-identical output and nbval can compare figures as well as text.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from d2l_utils._checks import check_choice, check_int, check_positive

#: Default figure size in inches (width, height); chosen to read well on a page and on a slide.
DEFAULT_FIGSIZE: tuple[float, float] = (3.5, 2.5)
_SCALES = ("linear", "log", "symlog", "logit")


def use_svg_display() -> None:
    """Make matplotlib produce deterministic SVG figures, inline in Jupyter when available.

    Sets ``svg.hashsalt`` so clip-path ids are stable and removes the date from the SVG metadata.
    Outside IPython only the rcParams change, so the helper is safe to call from scripts and tests.
    """
    matplotlib.rcParams["svg.hashsalt"] = "d2l-optim"
    matplotlib.rcParams["svg.fonttype"] = "path"
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the book's environment
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})


def _check_figsize(figsize: Any) -> tuple[float, float]:
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise ValueError(f"figsize must be a (width, height) pair in inches, got {figsize!r}")
    return (check_positive("figsize width", figsize[0]), check_positive("figsize height", figsize[1]))


def set_figsize(figsize: tuple[float, float] = DEFAULT_FIGSIZE) -> None:
    """Set the default size, in inches, of the figures that follow.

    Raises:
        ValueError: if ``figsize`` is not a pair of finite positive numbers.
    """
    matplotlib.rcParams["figure.figsize"] = _check_figsize(figsize)


def _as_series(name: str, values: Any) -> list[np.ndarray]:
    """Turn one sequence or a list of sequences into a list of 1-D float arrays."""
    if values is None:
        return []
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return [values.astype(float)]
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [row.astype(float) for row in values]
    if isinstance(values, (list, tuple)) and values and all(np.ndim(v) == 0 for v in values):
        return [np.asarray(values, dtype=float)]
    if isinstance(values, (list, tuple)) and values:
        return [np.asarray(v, dtype=float).ravel() for v in values]
    raise ValueError(f"{name} must be a non-empty sequence of numbers or a list of such sequences, "
                     f"got {values!r}")


def plot(X: Any, Y: Any = None, xlabel: str | None = None, ylabel: str | None = None,
         legend: Sequence[str] | None = None, xlim: tuple[float, float] | None = None,
         ylim: tuple[float, float] | None = None, xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:", "c-", "y--"),
         figsize: tuple[float, float] | None = None, axes: plt.Axes | None = None) -> None:
    """Plot one or several curves.

    ``plot(Y)`` plots each series against its index; ``plot(X, Y)`` plots ``Y`` against ``X``, where
    ``X`` is one shared x-series or one per curve. Non-finite points are left out of the drawing, so a
    run that overflowed still shows the part of its curve that exists.

    Raises:
        ValueError: on empty data, mismatched lengths, a legend of the wrong size, an unknown scale,
            or a bad ``figsize``.
    """
    xscale = check_choice("xscale", xscale, _SCALES)
    yscale = check_choice("yscale", yscale, _SCALES)
    if Y is None:
        ys = _as_series("X", X)
        xs = [np.arange(len(y), dtype=float) for y in ys]
    else:
        xs, ys = _as_series("X", X), _as_series("Y", Y)
        if len(xs) == 1 and len(ys) > 1:
            xs = xs * len(ys)
        if len(xs) != len(ys):
            raise ValueError(f"got {len(xs)} x-series for {len(ys)} y-series; pass one shared "
                             "x-series or one per curve")
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if len(x) != len(y):
            raise ValueError(f"curve {i}: x has {len(x)} points but y has {len(y)}")
    if legend is not None and len(legend) != len(ys):
        raise ValueError(f"legend has {len(legend)} entries for {len(ys)} curves")
    if axes is None:
        if figsize is not None:
            _check_figsize(figsize)
        axes = plt.figure(figsize=figsize).gca() if figsize is not None else plt.gca()
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        finite = np.isfinite(x) & np.isfinite(y)
        axes.plot(x[finite], y[finite], fmts[i % len(fmts)])
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if xlabel:
        axes.set_xlabel(xlabel)
    if ylabel:
        axes.set_ylabel(ylabel)
    if legend:
        axes.legend(legend)
    axes.grid(True)


def _trace_array(trace: Any, dims: int) -> np.ndarray:
    arr = np.asarray(trace, dtype=float)
    if dims == 1:
        arr = arr.reshape(-1) if arr.ndim <= 1 or (arr.ndim == 2 and arr.shape[1] == 1) else arr
        if arr.ndim != 1:
            raise ValueError(f"a 1-D trace must be a sequence of numbers, got shape {arr.shape}")
    elif arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"a 2-D trace must have shape (steps + 1, 2), got shape {arr.shape}")
    if len(arr) == 0:
        raise ValueError("the trace is empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError("the trace contains inf or NaN; plot only the finite part of a diverged run "
                         "(optimize() already stops there)")
    return arr


def show_trace_1d(f: Callable[[np.ndarray], np.ndarray], trace: Any,
                  xlim: tuple[float, float] | None = None, num: int = 200,
                  figsize: tuple[float, float] | None = None) -> None:
    """Draw ``f`` over ``xlim`` and the iterates of a 1-D optimizer on top of it.

    ``xlim`` defaults to a range that covers every iterate with a margin.

    Raises:
        ValueError: if the trace is empty, not 1-D or not finite, ``xlim`` is not increasing, or
            ``num`` < 2.
    """
    xs = _trace_array(trace, dims=1)
    num = check_int("num", num, minimum=2)
    if xlim is None:
        lo, hi = float(xs.min()), float(xs.max())
        pad = max(1.0, 0.1 * (hi - lo))
        xlim = (lo - pad, hi + pad)
    if not xlim[0] < xlim[1]:
        raise ValueError(f"xlim must be an increasing pair, got {xlim!r}")
    grid = np.linspace(xlim[0], xlim[1], num)
    plot([grid, xs], [f(grid), f(xs)], "x", "f(x)", fmts=["-", "-o"], figsize=figsize)


def show_trace_2d(f: Callable[[np.ndarray, np.ndarray], np.ndarray], trace: Any,
                  xlim: tuple[float, float] | None = None, ylim: tuple[float, float] | None = None,
                  levels: int = 12, figsize: tuple[float, float] | None = None) -> None:
    """Draw the iterates of a 2-D optimizer over the contour lines of ``f(x1, x2)``.

    ``xlim`` and ``ylim`` default to a box around the trajectory and the origin.

    Raises:
        ValueError: if the trace does not have shape ``(steps + 1, 2)`` or is not finite, a limit is
            not increasing, or ``levels`` < 1.
    """
    pts = _trace_array(trace, dims=2)
    levels = check_int("levels", levels, minimum=1)
    box = []
    for lim, col in ((xlim, 0), (ylim, 1)):
        if lim is None:
            lo, hi = min(float(pts[:, col].min()), 0.0), max(float(pts[:, col].max()), 0.0)
            pad = max(1.0, 0.1 * (hi - lo))
            lim = (lo - pad, hi + pad)
        if not lim[0] < lim[1]:
            raise ValueError(f"axis limits must be increasing pairs, got {lim!r}")
        box.append(lim)
    fig = plt.figure(figsize=figsize) if figsize is not None else plt.gcf()
    if figsize is not None:
        _check_figsize(figsize)
    ax = fig.gca()
    x1, x2 = np.meshgrid(np.linspace(*box[0], 200), np.linspace(*box[1], 200))
    ax.contour(x1, x2, f(x1, x2), levels=levels, colors="#1f77b4", linewidths=0.8)
    ax.plot(pts[:, 0], pts[:, 1], "-o", color="#ff7f0e", markersize=3)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")

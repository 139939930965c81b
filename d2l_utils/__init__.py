"""Helpers for *Optimization for Deep Learning*.

The package is deliberately small. Each module has one job:

* :mod:`d2l_utils.reproducibility` -- seed Python, NumPy, MXNet and PyTorch in one call.
* :mod:`d2l_utils.plotting` -- figure defaults, line plots, 1-D traces and 2-D trajectories.
* :mod:`d2l_utils.toy` -- run an update rule on a low-dimensional toy problem and report where it ends.
* :mod:`d2l_utils.timer` -- a small stopwatch for the timing comparisons.

The notebooks import the names re-exported here, e.g. ``from d2l_utils import seed_everything``.
"""
from d2l_utils.plotting import plot, set_figsize, show_trace_1d, show_trace_2d, use_svg_display
from d2l_utils.reproducibility import seed_everything
from d2l_utils.timer import Timer
from d2l_utils.toy import optimize

__all__ = [
    "Timer",
    "optimize",
    "plot",
    "seed_everything",
    "set_figsize",
    "show_trace_1d",
    "show_trace_2d",
    "use_svg_display",
]

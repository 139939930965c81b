"""Helpers for *Optimization for Deep Learning*.

The package is deliberately small. Each module has one job:

* :mod:`d2l_utils.reproducibility` -- seed Python, NumPy, MXNet and PyTorch in one call.
* :mod:`d2l_utils.plotting` -- figure defaults, line plots, 1-D traces and 2-D trajectories.
* :mod:`d2l_utils.toy` -- run an update rule on a low-dimensional toy problem and report where it ends.
* :mod:`d2l_utils.timer` -- a small stopwatch for the timing comparisons.
* :mod:`d2l_utils.report` -- vectors printed the same way in every chapter.
* :mod:`d2l_utils.data` -- the synthetic linear-regression set and a seeded minibatch order.
* :mod:`d2l_utils.training` -- from-scratch, Gluon and torch.optim training loops of one shape.

The notebooks import the names re-exported here, e.g. ``from d2l_utils import seed_everything``.
"""
from d2l_utils.data import LinearData, minibatch_indices, synthetic_linear_data
from d2l_utils.plotting import plot, set_figsize, show_trace_1d, show_trace_2d, use_svg_display
from d2l_utils.report import format_vector
from d2l_utils.reproducibility import seed_everything
from d2l_utils.timer import Timer
from d2l_utils.toy import optimize
from d2l_utils.training import (BLOWUP_FACTOR, TrainResult, agreement, initial_params, plot_losses, step_decay,
                                train_gluon, train_scratch, train_torch)

__all__ = [
    "BLOWUP_FACTOR",
    "LinearData",
    "TrainResult",
    "agreement",
    "format_vector",
    "initial_params",
    "minibatch_indices",
    "plot_losses",
    "step_decay",
    "synthetic_linear_data",
    "train_gluon",
    "train_scratch",
    "train_torch",
    "Timer",
    "optimize",
    "plot",
    "seed_everything",
    "set_figsize",
    "show_trace_1d",
    "show_trace_2d",
    "use_svg_display",
]

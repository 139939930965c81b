"""Helpers for *Optimization for Deep Learning*.

The package is deliberately small. Each module has one job:

* :mod:`d2l_utils.frameworks` -- the registry of frameworks (MXNet, PyTorch) and one module per framework
  behind one small interface; nothing else in the package names a framework's API.
* :mod:`d2l_utils.loop` -- the one training loop, :func:`fit`, its :class:`Run` result and schedules.
* :mod:`d2l_utils.training` -- the linear-regression runs of the chapters: from-scratch rules and framework
  optimizers, their report, agreement and loss plots.
* :mod:`d2l_utils.benchmark` -- the digits network and learning-rate sweeps of chapter 10.
* :mod:`d2l_utils.reference` -- float64 reference optimizers with each framework's conventions.
* :mod:`d2l_utils.data` -- the synthetic linear-regression set and the seeded epoch order.
* :mod:`d2l_utils.toy` -- run an update rule on a low-dimensional toy problem and report where it ends.
* :mod:`d2l_utils.plotting` -- figure defaults, line plots, 1-D traces and 2-D trajectories.
* :mod:`d2l_utils.report` -- vectors printed the same way in every chapter.
* :mod:`d2l_utils.reproducibility` -- seed Python, NumPy and every installed framework in one call.
* :mod:`d2l_utils.timer` -- a small stopwatch for the timing comparisons.

Importing the package imports no framework. The notebooks use the names re-exported here, e.g.
``d2l.seed_everything(0)``.
"""
from d2l_utils.data import LinearData, epoch_order, minibatch_indices, synthetic_linear_data
from d2l_utils.loop import BLOWUP_FACTOR, Run, fit, step_decay
from d2l_utils.plotting import plot, set_figsize, show_trace_1d, show_trace_2d, use_svg_display
from d2l_utils.report import format_vector
from d2l_utils.reproducibility import seed_everything
from d2l_utils.timer import Timer
from d2l_utils.toy import optimize
from d2l_utils.training import agreement, initial_params, plot_losses, report, train, train_scratch

__all__ = [
    "BLOWUP_FACTOR",
    "LinearData",
    "Run",
    "Timer",
    "agreement",
    "epoch_order",
    "fit",
    "format_vector",
    "initial_params",
    "minibatch_indices",
    "optimize",
    "plot",
    "plot_losses",
    "report",
    "seed_everything",
    "set_figsize",
    "show_trace_1d",
    "show_trace_2d",
    "step_decay",
    "synthetic_linear_data",
    "train",
    "train_scratch",
    "use_svg_display",
]

"""Tests of d2l_utils.loop: the one training loop `fit`, its `Run` and `step_decay`, driven by a NumPy learner."""
import math
import re

import numpy as np
import pytest

import d2l_utils as d2l
from d2l_utils.data import epoch_order
from d2l_utils.loop import BLOWUP_FACTOR, Run, fit, step_decay


class Quadratic:
    """A pure-NumPy learner: one scalar x fitted to points a_i by SGD on mean((x - a_i)^2) / 2.

    It logs everything fit asks of it, and can return a scripted minibatch loss at one global step.
    """

    def __init__(self, n=10, lr=0.5, bad_step=None, bad_loss=math.nan, accuracy=False):
        self.a = np.linspace(-1.0, 2.0, n)
        self.x, self.lr = 5.0, lr
        self.bad_step, self.bad_loss, self.accuracy = bad_step, bad_loss, accuracy
        self.orders, self.epochs_begun, self.set_lrs, self.batches, self.evaluated = [], [], [], [], []

    def begin_epoch(self, epoch, order):
        self.epochs_begun.append(epoch)
        self.orders.append(np.array(order))
        self.order = order

    def set_lr(self, lr):
        self.set_lrs.append(lr)
        self.lr = lr

    def step(self, start, stop):
        batch = self.order[..., start:stop]  # columns: an order of shape (k, n) holds one row per seed
        self.batches.append(np.array(batch))
        if len(self.batches) == self.bad_step:
            return self.bad_loss, self.lr
        loss = float(np.mean((self.x - self.a[batch]) ** 2) / 2)
        self.x -= self.lr * float(np.mean(self.x - self.a[batch]))
        return loss, self.lr

    def full_loss(self):
        return float(np.mean((self.x - self.a) ** 2) / 2)

    def evaluate(self):
        self.evaluated.append(self.full_loss())
        out = {"loss": self.evaluated[-1]}
        if self.accuracy:
            out["accuracy"] = 1.0 / (1.0 + self.evaluated[-1])
        return out

    def params(self):
        return [np.array([self.x])]


class Scripted(Quadratic):
    """A learner whose recorded losses are given in advance (one per record)."""

    def __init__(self, losses, **kwargs):
        super().__init__(**kwargs)
        self.script = list(losses)

    def evaluate(self):
        return {"loss": self.script.pop(0)}


def expected_orders(n, seed, epochs):
    rng = np.random.default_rng(seed)
    return [epoch_order(n, rng) for _ in range(epochs)]


def test_epochs_visit_the_seeded_epoch_order_in_consecutive_minibatches():
    learner = Quadratic(n=10)
    fit(learner, 10, 3, 3, seed=5)
    assert learner.epochs_begun == [0, 1, 2]
    for got, want in zip(learner.orders, expected_orders(10, 5, 3), strict=True):
        np.testing.assert_array_equal(got, want)
    expected_batches = [order[s:s + 3] for order in expected_orders(10, 5, 3) for s in (0, 3, 6, 9)]
    assert [len(b) for b in learner.batches] == [3, 3, 3, 1] * 3  # the last minibatch is smaller
    for got, want in zip(learner.batches, expected_batches, strict=True):
        np.testing.assert_array_equal(got, want)
    assert all(sorted(np.concatenate(learner.batches[k:k + 4])) == list(range(10)) for k in (0, 4, 8))


def test_same_seed_same_minibatches_other_seed_other_minibatches():
    runs = {}
    for seed in (0, 0, 1):
        learner = Quadratic(n=20)
        run = fit(learner, 20, 4, 2, seed=seed)
        runs.setdefault(seed, []).append((np.concatenate(learner.batches), run))
    (b0, r0), (b0_again, r0_again) = runs[0]
    np.testing.assert_array_equal(b0, b0_again)
    np.testing.assert_array_equal(r0.losses, r0_again.losses)
    b1, r1 = runs[1][0]
    assert not np.array_equal(b0, b1)
    assert not np.array_equal(r0.losses, r1.losses)


def test_several_seeds_give_one_order_per_replica():
    learner = Quadratic(n=8)
    fit(learner, 8, 4, 2, seed=[3, 4, 5])
    assert [o.shape for o in learner.orders] == [(3, 8), (3, 8)]
    for k, seed in enumerate((3, 4, 5)):
        for epoch, want in enumerate(expected_orders(8, seed, 2)):
            np.testing.assert_array_equal(learner.orders[epoch][k], want)
    assert learner.batches[0].shape == (3, 4)  # step slices the columns of every replica
    single = Quadratic(n=8)
    fit(single, 8, 4, 1, seed=np.int64(3))
    assert single.orders[0].shape == (8,)


def test_schedule_is_called_at_the_start_of_every_epoch_and_lrs_has_every_update():
    calls = []

    def schedule(epoch, lr):
        calls.append((epoch, lr))
        return lr / 2**epoch

    learner = Quadratic(n=10)
    run = fit(learner, 10, 3, 3, lr=0.6, schedule=schedule)
    assert calls == [(0, 0.6), (1, 0.6), (2, 0.6)]
    assert learner.set_lrs == [0.6, 0.3, 0.15]
    assert run.lrs == [0.6] * 4 + [0.3] * 4 + [0.15] * 4  # 4 updates per epoch: 3 + 3 + 3 + 1 examples

    decayed = fit(Quadratic(n=10), 10, 5, 3, lr=0.5, schedule=step_decay(2, 0.1))
    assert decayed.lrs == [0.5, 0.5, 0.5, 0.5, pytest.approx(0.05), pytest.approx(0.05)]


def test_lr_without_schedule_is_set_once_and_none_leaves_the_learner_alone():
    learner = Quadratic(n=10)
    run = fit(learner, 10, 5, 3, lr=0.25)
    assert learner.set_lrs == [0.25] and run.lrs == [0.25] * 6
    untouched = Quadratic(n=10, lr=0.7)
    run = fit(untouched, 10, 5, 2)
    assert untouched.set_lrs == [] and run.lrs == [0.7] * 4


def test_records_once_per_epoch_by_default_and_the_last_record_is_the_returned_params():
    learner = Quadratic(n=10)
    run = fit(learner, 10, 3, 3, name="q")
    np.testing.assert_array_equal(run.epochs, [0.0, 1.0, 2.0, 3.0])
    assert run.name == "q" and run.diverged is None and not run.blew_up
    np.testing.assert_array_equal(run.losses, learner.evaluated)
    assert run.params[0][0] == learner.x
    assert run.final_loss == learner.full_loss() < run.losses[0]


@pytest.mark.parametrize("n, batch_size, epochs, period, expected", [
    # Records after every `period` examples (counted over the whole run) and always at the end.
    (10, 3, 2, 4, [0.0, 0.6, 0.9, 1.3, 1.6, 2.0]),
    (10, 3, 2, 3, [0.0, 0.3, 0.6, 0.9, 1.3, 1.6, 1.9, 2.0]),
    (100, 30, 2, 30, [0.0, 0.3, 0.6, 0.9, 1.3, 1.6, 1.9, 2.0]),  # the recording-bug configuration
    (10, 10, 2, 100, [0.0, 2.0]),
    (10, 5, 2, 5, [0.0, 0.5, 1.0, 1.5, 2.0]),
])
def test_records_every_period_and_at_the_end(n, batch_size, epochs, period, expected):
    learner = Quadratic(n=n, lr=0.1)
    run = fit(learner, n, batch_size, epochs, period=period)
    np.testing.assert_allclose(run.epochs, expected)
    assert len(run.losses) == len(expected) and run.losses[-1] == learner.full_loss()
    assert len(run.lrs) == epochs * -(-n // batch_size)


def test_further_metrics_are_recorded_at_the_same_points():
    run = fit(Quadratic(n=10, accuracy=True), 10, 5, 2, period=5)
    assert set(run.metrics) == {"accuracy"} and "loss" not in run.metrics
    np.testing.assert_allclose(run.metrics["accuracy"], 1 / (1 + run.losses))
    assert run.final_acc == run.metrics["accuracy"][-1]
    with pytest.raises(KeyError):
        _ = fit(Quadratic(n=10), 10, 5, 1).final_acc


@pytest.mark.parametrize("bad_loss, text", [(math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf")])
def test_a_non_finite_minibatch_loss_stops_the_run_at_that_step(bad_loss, text):
    learner = Quadratic(n=10, bad_step=6, bad_loss=bad_loss, accuracy=True)  # epoch 2, step 2
    run = fit(learner, 10, 3, 5, period=3)
    assert run.diverged == f"diverged at epoch 2, step 2: loss = {text}"
    assert len(learner.batches) == 6 and learner.epochs_begun == [0, 1] and len(run.lrs) == 6
    assert run.epochs[-1] == pytest.approx(1.6)  # 10 + 6 examples seen
    assert not math.isfinite(run.final_loss) and np.all(np.isfinite(run.losses[:-1]))
    assert str(run.final_loss) == text
    assert math.isnan(run.metrics["accuracy"][-1]) and np.all(np.isfinite(run.metrics["accuracy"][:-1]))
    assert len(run.metrics["accuracy"]) == len(run.losses) == len(run.epochs)
    assert not run.blew_up  # a diverged run is not also flagged by its non-finite loss


def test_divergence_at_the_very_first_step():
    run = fit(Quadratic(n=10, bad_step=1, bad_loss=math.inf), 10, 10, 3)
    assert run.diverged == "diverged at epoch 1, step 1: loss = inf"
    np.testing.assert_array_equal(run.epochs, [0.0, 1.0])
    assert run.losses[0] == pytest.approx(Quadratic(n=10).full_loss()) and run.losses[1] == math.inf


def test_blow_up_is_flagged_above_the_factor_and_training_goes_on():
    assert BLOWUP_FACTOR == d2l.BLOWUP_FACTOR == 100.0
    at_factor = fit(Scripted([1.0, 50.0, 100.0]), 10, 5, 2, period=10)
    assert not at_factor.blew_up and at_factor.diverged is None
    above = fit(Scripted([1.0, 100.5, 0.5]), 10, 5, 2, period=10)
    assert above.blew_up and above.diverged is None and len(above.losses) == 3 and above.final_loss == 0.5


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(n=0), ValueError, "n must be >= 1, got 0"),
    (dict(batch_size=11), ValueError, "batch_size must be <= 10, got 11"),
    (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    (dict(batch_size=2.0), TypeError, "batch_size must be an integer, got float 2.0"),
    (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    (dict(period=0), ValueError, "period must be >= 1, got 0"),
    (dict(period=2.5), TypeError, "period must be an integer, got float 2.5"),
    (dict(lr=0), ValueError, "lr must be a finite number > 0, got 0.0"),
    (dict(lr=-0.1), ValueError, "lr must be a finite number > 0, got -0.1"),
    (dict(lr=math.nan), ValueError, "lr must be a finite number > 0, got nan"),
    (dict(lr="0.1"), TypeError, "lr must be a real number, got str '0.1'"),
    (dict(lr=0.1, schedule=0.5), TypeError, "schedule must be a callable (epoch, lr) -> lr or None, got 0.5"),
    (dict(seed=-1), ValueError, "seed must be >= 0, got -1"),
    (dict(seed=[0, -2]), ValueError, "seed must be >= 0, got -2"),
    (dict(seed=1.5), TypeError, "seed must be an integer, got float 1.5"),
    (dict(seed=True), TypeError, "seed must be an integer, got bool True"),
])
def test_fit_rejects_bad_arguments_before_touching_the_learner(kwargs, error, message):
    args = dict(n=10, batch_size=3, epochs=2)
    args.update(kwargs)
    learner = Quadratic(n=10)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        fit(learner, **args)
    assert learner.evaluated == [] and learner.set_lrs == [] and learner.batches == []


def test_fit_rejects_an_empty_seed_list():
    with pytest.raises(ValueError, match="seed"):
        fit(Quadratic(n=10), 10, 3, 1, seed=[])


def test_step_decay():
    schedule = step_decay(2, 0.1)
    assert [schedule(e, 0.5) for e in range(4)] == [0.5, 0.5, pytest.approx(0.05), pytest.approx(0.05)]
    assert [step_decay(0, 0.5)(e, 1.0) for e in range(2)] == [0.5, 0.5]
    assert d2l.step_decay is step_decay
    with pytest.raises(ValueError, match=re.escape("factor must be a finite number > 0, got 0.0")):
        step_decay(2, 0.0)
    with pytest.raises(ValueError, match="after must be >= 0, got -1"):
        step_decay(-1)
    with pytest.raises(TypeError, match="after must be an integer, got float 1.5"):
        step_decay(1.5)


def test_run_properties_of_a_linear_model():
    run = Run("r", np.array([0.0, 1.0]), np.array([2.0, 0.5]), [0.1],
              [np.array([[1.5], [-2.0]], np.float32), np.array([0.25], np.float32)])
    assert run.final_loss == 0.5 and isinstance(run.final_loss, float)
    assert run.w.dtype == np.float64 and run.w.tolist() == [1.5, -2.0]
    assert run.b == 0.25 and isinstance(run.b, float)
    assert run.metrics == {} and run.diverged is None and not run.blew_up

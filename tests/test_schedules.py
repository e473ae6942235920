"""Learning-rate schedules never set a negative or non-finite rate; bad arguments are named."""

import math

import numpy as np
import pytest

import nn
from autograd import Value


def sgd(lr=0.1):
    return nn.SGD([Value(1.0)], lr=lr)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda o: nn.StepDecay(o, step_size=1, gamma=-1), ValueError, "gamma must be > 0"),
        (lambda o: nn.StepDecay(o, step_size=1, gamma=0), ValueError, "gamma must be > 0"),
        (lambda o: nn.StepDecay(o, step_size=1, gamma=math.nan), ValueError, "gamma"),
        (lambda o: nn.StepDecay(o, step_size=1, gamma=math.inf), ValueError, "gamma"),
        (lambda o: nn.StepDecay(o, step_size=1, gamma="0.5"), TypeError, "gamma must be a number"),
        (lambda o: nn.StepDecay(o, step_size=0), ValueError, "step_size"),
        (lambda o: nn.StepDecay(o, step_size=2.5), ValueError, "step_size must be a positive whole number"),
        (lambda o: nn.StepDecay(o, step_size="2"), TypeError, "step_size"),
        (lambda o: nn.LinearDecay(o, end=-5, total_steps=10), ValueError, "end must be >= 0"),
        (lambda o: nn.LinearDecay(o, start=-1, total_steps=10), ValueError, "start must be >= 0"),
        (lambda o: nn.LinearDecay(o, start=math.nan, total_steps=10), ValueError, "start"),
        (lambda o: nn.LinearDecay(o, end=math.inf, total_steps=10), ValueError, "end"),
        (lambda o: nn.LinearDecay(o, end=None, total_steps=10), TypeError, "end must be a number"),
        (lambda o: nn.LinearDecay(o, total_steps=0), ValueError, "total_steps"),
        (lambda o: nn.LinearDecay(o, total_steps="10"), TypeError, "total_steps"),
    ],
)
def test_bad_arguments_are_refused_by_name_and_change_nothing(make, error, message):
    opt = sgd()
    with pytest.raises(error, match=message):
        make(opt)
    assert opt.lr == 0.1


def test_a_linear_factor_that_overflows_the_rate_is_refused():
    opt = sgd(10.0)
    with pytest.raises(ValueError, match=r"10.0 × 1e\+308 overflows"):
        nn.LinearDecay(opt, start=1.0, end=1e308, total_steps=10)
    assert opt.lr == 10.0


def test_the_report_cases_no_longer_give_a_negative_or_nan_rate():
    p = [Value(1.0)]
    o = nn.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="end"):
        nn.LinearDecay(o, end=-5, total_steps=10)
    for gamma in (-1, math.nan):
        with pytest.raises(ValueError, match="gamma"):
            nn.StepDecay(nn.Adam([Value(1.0)]), step_size=1, gamma=gamma)


@pytest.mark.parametrize(
    "make",
    [
        lambda o: nn.StepDecay(o, step_size=1, gamma=0.5),
        lambda o: nn.StepDecay(o, step_size=3, gamma=1.5),
        lambda o: nn.LinearDecay(o, 1.0, 0.0, 10),
        lambda o: nn.LinearDecay(o, 0.0, 2.0, 10),
    ],
)
def test_good_schedules_keep_the_rate_finite_and_non_negative(make):
    opt = sgd()
    schedule = make(opt)
    for _ in range(40):
        lr = schedule.step()
        assert lr == opt.lr and lr >= 0.0 and math.isfinite(lr)


def test_a_rate_that_would_overflow_raises_and_changes_nothing():
    opt = sgd(0.1)
    schedule = nn.StepDecay(opt, step_size=1, gamma=1e308)
    assert schedule.step() == pytest.approx(1e307)  # was OverflowError (34, 'Numerical result out of range')
    with pytest.raises(FloatingPointError, match="StepDecay: the learning rate at step 2 would be inf"):
        schedule.step()
    assert opt.lr == pytest.approx(1e307) and schedule.t == 1


def test_a_custom_factor_cannot_make_the_rate_negative_or_nan():
    class Bad(nn.Schedule):
        def factor(self, t):
            return [0.5, -1.0, math.nan][t - 1]

    opt = sgd(0.2)
    schedule = Bad(opt)
    assert schedule.step() == pytest.approx(0.1)
    with pytest.raises(ValueError, match="negative"):
        schedule.step()
    assert opt.lr == pytest.approx(0.1) and schedule.t == 1
    schedule.t = 2
    with pytest.raises(FloatingPointError, match="nan"):
        schedule.step()
    assert opt.lr == pytest.approx(0.1)


@pytest.mark.parametrize("not_an_optimiser", ["opt", None, [Value(1.0)], 0.1])
def test_a_schedule_needs_an_optimiser(not_an_optimiser):
    with pytest.raises(TypeError, match=f"StepDecay needs an optimiser.*got {type(not_an_optimiser).__name__}"):
        nn.StepDecay(not_an_optimiser, step_size=1)
    with pytest.raises(TypeError, match="LinearDecay needs an optimiser"):
        nn.LinearDecay(not_an_optimiser)


def test_a_rate_set_by_hand_to_a_bad_value_is_refused():
    opt = sgd()
    opt.lr = -0.1
    with pytest.raises(ValueError, match="learning rate"):
        nn.StepDecay(opt, step_size=1)


def test_numpy_integers_and_floats_are_fine():
    opt = sgd(1.0)
    schedule = nn.StepDecay(opt, step_size=np.int64(2), gamma=np.float64(0.5))
    assert [schedule.step() for _ in range(4)] == pytest.approx([1.0, 0.5, 0.5, 0.25])
    assert type(schedule.step_size) is int
    linear = nn.LinearDecay(sgd(1.0), np.float32(1.0), 0, np.int32(4))
    assert linear.step() == pytest.approx(0.75)

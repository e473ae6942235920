"""Learning-rate schedules: they set an optimiser's public ``lr``, so they work with any optimiser.

A schedule never sets a negative or non-finite learning rate: the constructors check their
arguments (a ``ValueError`` naming the argument), and a step whose rate would overflow, or
that a custom :meth:`Schedule.factor` makes negative or NaN, raises and changes nothing.
"""

from __future__ import annotations

import math

from autograd.checks import non_negative, positive, whole_number
from nn.optim import Optimizer


class Schedule:
    """Call :meth:`step` once per epoch (or step); ``optimizer.lr`` becomes ``base_lr · factor(t)``.

    Raises:
        TypeError: if ``optimizer`` is not an :class:`~nn.optim.Optimizer`.
        ValueError: if the optimiser's ``lr`` is negative or not finite.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__} needs an optimiser (nn.SGD, nn.Adam, ...), got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = non_negative("the optimiser's learning rate", optimizer.lr)
        self.t = 0

    def factor(self, t: int) -> float:
        raise NotImplementedError

    def step(self) -> float:
        """Advance one step and return the new learning rate.

        Raises:
            FloatingPointError: if the new rate would be infinite or NaN (it overflows);
                nothing changes, ``t`` included.
            ValueError: if the new rate would be negative; nothing changes.
        """
        lr = self._rate(self.t + 1)
        self.t += 1
        self.optimizer.lr = lr
        return lr

    def _rate(self, t: int) -> float:
        """``base_lr · factor(t)``, after checking that it is finite and >= 0."""
        try:
            factor = self.factor(t)
            lr = self.base_lr * factor
        except OverflowError:  # float ** int raises instead of giving inf
            factor = lr = math.inf
        if not math.isfinite(lr):
            raise FloatingPointError(
                f"{type(self).__name__}: the learning rate at step {t} would be {lr!r} "
                f"({self.base_lr!r} × factor {factor!r}); lr is unchanged ({self.optimizer.lr!r})"
            )
        if lr < 0.0:
            raise ValueError(
                f"{type(self).__name__}: the learning rate at step {t} would be {lr!r} "
                f"({self.base_lr!r} × factor {factor!r}), which is negative; lr is unchanged"
            )
        return lr


class StepDecay(Schedule):
    """Multiply the rate by ``gamma`` every ``step_size`` steps (as ``torch.optim.lr_scheduler.StepLR``).

    Raises:
        TypeError: for an optimiser that is not one, or a setting that is not a number.
        ValueError: if ``step_size`` is not a whole number >= 1, or ``gamma`` is not > 0 and finite.
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        step_size = whole_number("step_size", step_size)
        gamma = positive("gamma", gamma)
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def factor(self, t: int) -> float:
        return self.gamma ** (t // self.step_size)


class LinearDecay(Schedule):
    """Move the factor linearly from ``start`` to ``end`` over ``total_steps`` steps, then hold it.

    micrograd's demo schedule ``lr = 1 − 0.9·k/100`` is ``LinearDecay(SGD(ps, lr=1.0), 1.0, 0.1, 100)``.

    Raises:
        TypeError: for an optimiser that is not one, or a setting that is not a number.
        ValueError: if ``start`` or ``end`` is negative or not finite, ``total_steps`` is not a
            whole number >= 1, or ``base_lr · start`` overflows.
    """

    def __init__(self, optimizer: Optimizer, start: float = 1.0, end: float = 0.0, total_steps: int = 100) -> None:
        start, end = non_negative("start", start), non_negative("end", end)
        total_steps = whole_number("total_steps", total_steps)
        super().__init__(optimizer)
        self.start, self.end, self.total_steps = start, end, total_steps
        for factor in (start, end):  # the rates in between lie between these two
            if not math.isfinite(self.base_lr * factor):
                raise ValueError(f"the learning rate {self.base_lr!r} × {factor!r} overflows; use a smaller factor")
        optimizer.lr = self.base_lr * start

    def factor(self, t: int) -> float:
        return self.start + (self.end - self.start) * min(t, self.total_steps) / self.total_steps

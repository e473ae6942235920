"""Learning-rate schedules: they set an optimiser's public ``lr``, so they work with any optimiser."""

from __future__ import annotations

from nn.optim import Optimizer


class Schedule:
    """Call :meth:`step` once per epoch (or step); ``optimizer.lr`` becomes ``base_lr · factor(t)``."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.t = 0

    def factor(self, t: int) -> float:
        raise NotImplementedError

    def step(self) -> float:
        """Advance one step and return the new learning rate."""
        self.t += 1
        self.optimizer.lr = self.base_lr * self.factor(self.t)
        return self.optimizer.lr


class StepDecay(Schedule):
    """Multiply the rate by ``gamma`` every ``step_size`` steps (as ``torch.optim.lr_scheduler.StepLR``)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if step_size < 1:
            raise ValueError(f"step_size must be >= 1, got {step_size!r}")
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def factor(self, t: int) -> float:
        return self.gamma ** (t // self.step_size)


class LinearDecay(Schedule):
    """Move the factor linearly from ``start`` to ``end`` over ``total_steps`` steps, then hold it.

    micrograd's demo schedule ``lr = 1 − 0.9·k/100`` is ``LinearDecay(SGD(ps, lr=1.0), 1.0, 0.1, 100)``.
    """

    def __init__(self, optimizer: Optimizer, start: float = 1.0, end: float = 0.0, total_steps: int = 100) -> None:
        if total_steps < 1:
            raise ValueError(f"total_steps must be >= 1, got {total_steps!r}")
        super().__init__(optimizer)
        self.start, self.end, self.total_steps = start, end, total_steps
        optimizer.lr = self.base_lr * start

    def factor(self, t: int) -> float:
        return self.start + (self.end - self.start) * min(t, self.total_steps) / self.total_steps

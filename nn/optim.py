"""Optimisers with PyTorch's update rules, so hyper-parameters and intuitions carry over."""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value


class Optimizer:
    """Holds the parameters and a public learning rate ``lr`` that schedules change."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimiser got no parameters")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
        if not lr >= 0.0:
            raise ValueError(f"learning rate must be >= 0, got {lr!r}")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate across backward passes)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD`` (plus an L1 term).

    With g = ∇L + weight_decay·θ + l1·sign(θ):
    ``buf = g`` on the first step, then ``buf = momentum·buf + (1 − dampening)·g``;
    the step direction is ``g + momentum·buf`` with Nesterov, else ``buf``;
    ``θ ← θ − lr · direction``. Without momentum it is plain θ ← θ − lr·g.

    Args:
        params: the parameters to update.
        lr: learning rate η.
        momentum: the momentum factor μ.
        dampening: damping of the gradient in the momentum buffer.
        nesterov: use Nesterov momentum (needs momentum > 0 and no dampening).
        weight_decay: L2 regularisation strength (adds weight_decay·θ to the gradient).
        l1: L1 regularisation strength (adds l1·sign(θ) to the gradient).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if momentum < 0.0 or weight_decay < 0.0 or l1 < 0.0:
            raise ValueError("momentum, weight_decay and l1 must be >= 0")
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0")
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov
        self.weight_decay, self.l1 = weight_decay, l1
        self.buffers: list[float] | None = None

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        mu = self.momentum
        first = self.buffers is None
        if mu and first:
            self.buffers = [0.0] * len(self.params)
        for i, p in enumerate(self.params):
            g = p.grad
            if self.weight_decay:
                g += self.weight_decay * p.data
            if self.l1:
                g += self.l1 * _sign(p.data)
            if mu:
                buf = g if first else mu * self.buffers[i] + (1.0 - self.dampening) * g
                self.buffers[i] = buf
                g = g + mu * buf if self.nesterov else buf
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam`` (L2 ``weight_decay`` added to the gradient, not AdamW).

    ``m ← β1·m + (1 − β1)·g``, ``v ← β2·v + (1 − β2)·g²``,
    ``θ ← θ − lr · m̂ / (√v̂ + ε)`` with the bias corrections m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        b1, b2 = self.betas
        self.t += 1
        correction1, correction2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            p.data -= self.lr * (self.m[i] / correction1) / (math.sqrt(self.v[i] / correction2) + self.eps)


def _sign(x: float) -> float:
    return (x > 0.0) - (x < 0.0)

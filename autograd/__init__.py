"""chainrule's engine: scalar reverse-mode automatic differentiation.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> L = (a * b).tanh()
>>> L.backward()
"""

from autograd.check import GradientCheck, UnknownLabelError, check_gradients
from autograd.compile import Compiled, CompiledValue, ConcreteValueError, compile
from autograd.drawing import Drawing, draw
from autograd.functions import dot, linear, logsumexp, sum
from autograd.grad_mode import detect_anomaly, enable_grad, no_grad
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.graph import Step, backward_steps, topological_order
from autograd.higher import grad, hessian, hvp
from autograd.numbers import format_number
from autograd.ops import OPS
from autograd.player import Player, player
from autograd.value import Constant, Value, apply, as_value, constant

__all__ = [
    "OPS",
    "Player",
    "Compiled",
    "CompiledValue",
    "ConcreteValueError",
    "Constant",
    "Drawing",
    "GradcheckError",
    "GradientCheck",
    "UnknownLabelError",
    "Step",
    "Value",
    "apply",
    "as_value",
    "backward_steps",
    "check_gradients",
    "compile",
    "constant",
    "detect_anomaly",
    "dot",
    "draw",
    "enable_grad",
    "format_number",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "linear",
    "logsumexp",
    "no_grad",
    "player",
    "sum",
    "topological_order",
]

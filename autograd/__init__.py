"""chainrule's engine: scalar reverse-mode automatic differentiation.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> L = (a * b).tanh()
>>> L.backward()
"""

from autograd.drawing import Drawing, draw
from autograd.functions import dot, linear, sum
from autograd.grad_mode import no_grad
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.graph import Step, backward_steps, topological_order
from autograd.ops import OPS
from autograd.value import Value, as_value

__all__ = [
    "OPS",
    "Drawing",
    "draw",
    "GradcheckError",
    "Step",
    "Value",
    "as_value",
    "backward_steps",
    "dot",
    "gradcheck",
    "linear",
    "no_grad",
    "sum",
    "topological_order",
]

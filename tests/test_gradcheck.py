"""gradcheck passes correct gradients and names the input whose gradient is wrong."""

import pytest

from autograd import GradcheckError, Value, gradcheck
from autograd.value import make_node


def test_gradcheck_returns_the_largest_error():
    x, y = Value(0.7, label="x"), Value(-1.2, label="y")
    worst = gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [x, y])
    assert 0.0 <= worst < 1e-6


def test_gradcheck_names_the_input_with_a_wrong_gradient():
    def broken_square(x, y):
        # A deliberately wrong local derivative for x (should be 2x).
        return make_node("bad", (x,), x.data**2, (3 * x.data,)) + y

    with pytest.raises(GradcheckError, match=r"'x'.*6\.0.*4\.0"):
        gradcheck(broken_square, [Value(2.0, label="x"), Value(1.0, label="y")], atol=1e-4)


def test_gradcheck_names_unlabelled_inputs_by_position():
    def broken(x):
        return make_node("bad", (x,), x.data, (2.0,))

    with pytest.raises(GradcheckError, match=r"inputs\[0\]"):
        gradcheck(broken, [Value(1.0)])


def test_gradcheck_leaves_the_inputs_unchanged():
    x = Value(0.3)
    gradcheck(lambda x: x.sigmoid(), [x])
    assert x.data == 0.3


def test_gradcheck_refuses_numbers():
    with pytest.raises(TypeError, match="inputs\\[0\\]"):
        gradcheck(lambda x: x, [1.0])

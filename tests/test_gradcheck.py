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


def test_gradcheck_leaves_every_gradient_as_it_found_it():
    a, b, c = Value(2.0, label="a"), Value(-1.0, label="b"), Value(0.5, label="c")
    a.grad, b.grad, c.grad = 10.0, 20.0, 30.0  # gradients a training loop had accumulated
    gradcheck(lambda x: x * b + c, [a])  # only a is checked; b and c are other leaves of the graph
    assert (a.grad, b.grad, c.grad) == pytest.approx((10.0, 20.0, 30.0))


def test_a_probe_that_leaves_the_domain_says_gradcheck_was_probing():
    x = Value(1e-7, label="x")
    with pytest.raises(ValueError, match=r"gradcheck was probing input 'x' at 1e-07 ± 1e-06") as error:
        gradcheck(lambda t: t.log(), [x])
    assert "log(" in str(error.value)  # the underlying error is still there
    assert x.data == 1e-7 and x.grad == 0.0

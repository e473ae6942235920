"""A safe little language for building graphs from text: ``"tanh(a*b + c)"`` with ``a=2 b=-3 c=10``.

Parsed with :mod:`ast` and walked node by node; only numbers, bound names, ``+ - * / **``,
unary minus and the engine's functions are accepted. Nothing is ever passed to ``eval``:
anything else is refused with a message that points at the offending part.
"""

from __future__ import annotations

import ast
import math
import sys
from collections.abc import Callable, Iterable

from autograd.grad_mode import detect_anomaly
from autograd.graph import topological_order
from autograd.ops import OPS
from autograd.value import Value, apply, as_float, constant


# Every one-argument op of the table is a function of the language: adding an op adds it here.
def _function(name: str) -> Callable[[Value], Value]:
    return lambda x: apply(name, (x,))


FUNCTIONS: dict[str, Callable[[Value], Value]] = {name: _function(name) for name, op in OPS.items() if op.is_function}
MAX_LENGTH = 20_000  # characters: a few thousand terms, far more than a picture can show
MAX_LABEL = 24  # nodes are labelled with their source text when it is this short (a box stays narrow)
_BINARY: dict[type, Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


class ExpressionError(ValueError):
    """The expression is malformed or uses something that is not allowed."""


def parse_bindings(pairs: Iterable[str]) -> dict[str, float]:
    """``["a=2", "b=-3"]`` → ``{"a": 2.0, "b": -3.0}``, refusing anything else by name."""
    bindings = {}
    for pair in pairs:
        name, sep, number = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            hint = " (options go before the expression, or before --)" if pair.startswith("-") else ""
            raise ExpressionError(f"expected name=number, got {pair.strip()!r}{hint}")
        if name in bindings:
            raise ExpressionError(f"{name} is bound twice")
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function name and cannot be bound")
        try:
            value = float(number)
        except ValueError:
            raise ExpressionError(f"{name} must be bound to a number, got {number.strip()!r}") from None
        if not math.isfinite(value):
            raise ExpressionError(f"{name} must be a finite number, got {number.strip()!r}")
        bindings[name] = value
    return bindings


def build(expression: str, bindings: dict[str, float]) -> tuple[Value, dict[str, Value]]:
    """Build the graph of ``expression``.

    Each bound name becomes one leaf ``Value`` labelled with the name (a name used twice is
    one node with two edges); numbers written in the expression are constants; each inner
    node is labelled with its source text when that is short.

    Returns:
        The root and the leaves by name.

    Raises:
        ExpressionError: on a syntax error, an unknown name, a number or result that is not
            finite, an expression too long or too deeply nested, or anything not allowed.
    """
    source = expression.strip()
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; the limit is {MAX_LENGTH}")
    if not source:
        raise ExpressionError('the expression is empty: write one, e.g. "tanh(a*b + c)"')
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_LENGTH))  # a flat sum of thousands of terms nests that deep
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(_pointed(source, error.offset or 1, 1, f"syntax error: {error.msg}")) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply to read") from None
    finally:
        sys.setrecursionlimit(limit)
    leaves = {name: Value(as_float(v), label=name) for name, v in bindings.items()}
    with detect_anomaly():  # an overflow to inf points at the part that overflowed
        root = _Builder(source, leaves).build(tree.body)
    for node in topological_order(root):  # the nodes that `-` and `/` add: name them after their parent
        if node.parents and not node.label:
            node.label = _derived_label(node)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    unused = [name for name in bindings if name not in names]
    if unused:
        raise ExpressionError(f"bound but not used in the expression: {', '.join(unused)} (a typo?)")
    return root, leaves


class _Builder:
    def __init__(self, source: str, leaves: dict[str, Value]) -> None:
        self.source, self.leaves = source, leaves

    def refuse(self, node: ast.AST, why: str) -> ExpressionError:
        start = getattr(node, "col_offset", 0)
        width = max(getattr(node, "end_col_offset", start + 1) - start, 1)
        return ExpressionError(_pointed(self.source, start + 1, width, why))

    def text(self, node: ast.AST) -> str:
        start, end = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0)
        if end - start > 4 * MAX_LABEL:  # long source text would make a useless label
            return ""
        text = " ".join((ast.get_source_segment(self.source, node) or "").split())
        return text if len(text) <= MAX_LABEL else ""

    def build(self, top: ast.AST) -> Value:
        """Visit ``top`` with an explicit stack (operands before their op), so depth costs no recursion."""
        done: dict[int, Value] = {}
        stack: list[tuple[ast.AST, bool]] = [(top, False)]
        while stack:
            node, ready = stack.pop()
            operands = self.operands(node)
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(operands))
                continue
            out = self.apply(node, [done.pop(id(child)) for child in operands])
            if out.parents and not out.label:
                out.label = self.text(node)
            done[id(node)] = out
        return done[id(top)]

    def operands(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return [node.operand]
        if isinstance(node, ast.Call):
            self.check_call(node)
            return [node.args[0]]
        return []

    def apply(self, node: ast.AST, operands: list[Value]) -> Value:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            if node.id in self.leaves:
                return self.leaves[node.id]
            hint = " (a function: call it, e.g. tanh(x))" if node.id in FUNCTIONS else f" (bind it: {node.id}=1.0)"
            raise self.refuse(node, f"unknown name {node.id!r}{hint}")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.arithmetic(node, _BINARY[type(node.op)], *operands)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return self.arithmetic(node, (lambda x: -x) if isinstance(node.op, ast.USub) else (lambda x: x), *operands)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.arithmetic(node, FUNCTIONS[node.func.id], *operands)
        raise self.refuse(node, f"{_describe(node)} is not allowed")

    def number(self, node: ast.Constant) -> Value:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise self.refuse(node, f"only numbers are allowed, not {type(node.value).__name__}")
        try:
            value = float(node.value)
        except OverflowError:
            raise self.refuse(node, "this number is too large for a float") from None
        if not math.isfinite(value):
            raise self.refuse(node, "this number is too large for a float (it would be inf)")
        return constant(value, label=self.text(node))

    def check_call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.refuse(node.func, f"only {', '.join(FUNCTIONS)} may be called")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise self.refuse(node, f"{node.func.id}() takes exactly one argument")

    def arithmetic(self, node: ast.AST, op: Callable[..., Value], *operands: Value) -> Value:
        """Apply ``op``; a numeric error (log of a negative, x / 0, an overflow) points at ``node``."""
        try:
            return op(*operands)
        except FloatingPointError:
            raise self.refuse(node, "this part overflows: its value is not a finite number") from None
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            raise self.refuse(node, str(error)) from None


def _derived_label(node: Value) -> str:
    """``-t`` for the ``t * -1`` of a subtraction, ``1/(a + b)`` for the ``**-1`` of a division."""
    variables = [p for p in node.parents if p.requires_grad]
    if len(variables) != 1 or not variables[0].label:
        return ""
    name = variables[0].label
    wrapped = name if name.replace("_", "").isalnum() else f"({name})"
    if node.op == "*" and any(not p.requires_grad and p.data == -1.0 for p in node.parents):
        label = f"-{wrapped}"
    elif node.op == "**n" and node.params == (-1.0,):
        label = f"1/{wrapped}"
    else:
        return ""
    return label if len(label) <= MAX_LABEL else ""


def _describe(node: ast.AST) -> str:
    names: dict[type, str] = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripting",
        ast.Lambda: "a lambda",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "assignment",
    }
    if isinstance(node, ast.BinOp):
        return f"the operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        return f"the unary operator {type(node.op).__name__}"
    return names.get(type(node), type(node).__name__)


def _pointed(source: str, column: int, width: int, why: str) -> str:
    """The message, then the expression with a caret line under the offending part."""
    return f"{why}\n  {source}\n  {' ' * (column - 1)}{'^' * width}"

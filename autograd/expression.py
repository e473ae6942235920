"""A safe little language for building graphs from text: ``"tanh(a*b + c)"`` with ``a=2 b=-3 c=10``.

Parsed with :mod:`ast` and walked node by node; only numbers, bound names, ``+ - * / **``,
unary minus and the engine's functions are accepted. Nothing is ever passed to ``eval``:
anything else is refused with a message that points at the offending part.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable

from autograd.value import Value, as_float

FUNCTIONS = {
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "abs": Value.__abs__,
}
_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_NAME = re.compile(r"[A-Za-z_]\w*\Z")


class ExpressionError(ValueError):
    """The expression is malformed or uses something that is not allowed."""


def parse_bindings(pairs: Iterable[str]) -> dict[str, float]:
    """``["a=2", "b=-3"]`` → ``{"a": 2.0, "b": -3.0}``, refusing anything else by name."""
    bindings = {}
    for pair in pairs:
        name, sep, number = pair.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise ExpressionError(f"expected name=number, got {pair!r}")
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
    one node with two edges); each inner node is labelled with its source text.

    Returns:
        The root and the leaves by name.

    Raises:
        ExpressionError: on a syntax error, an unknown name, or anything not allowed.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(
            _pointed(expression.strip(), error.offset or 1, 1, f"syntax error: {error.msg}")
        ) from None
    leaves = {name: Value(as_float(v), label=name) for name, v in bindings.items()}
    builder = _Builder(expression.strip(), leaves)
    root = builder.visit(tree.body)
    return root, leaves


class _Builder:
    def __init__(self, source: str, leaves: dict[str, Value]) -> None:
        self.source, self.leaves = source, leaves

    def refuse(self, node: ast.AST, why: str) -> ExpressionError:
        start = getattr(node, "col_offset", 0)
        width = max(getattr(node, "end_col_offset", start + 1) - start, 1)
        return ExpressionError(_pointed(self.source, start + 1, width, why))

    def text(self, node: ast.AST) -> str:
        return " ".join((ast.get_source_segment(self.source, node) or "").split())

    def visit(self, node: ast.AST) -> Value:
        out = self._visit(node)
        if out.parents and not out.label:
            out.label = self.text(node)
        return out

    def _visit(self, node: ast.AST) -> Value:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.refuse(node, f"only numbers are allowed, not {type(node.value).__name__}")
            return Value(node.value, label=self.text(node))
        if isinstance(node, ast.Name):
            if node.id in self.leaves:
                return self.leaves[node.id]
            hint = " (a function: call it, e.g. tanh(x))" if node.id in FUNCTIONS else f" (bind it: {node.id}=1.0)"
            raise self.refuse(node, f"unknown name {node.id!r}{hint}")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self._arithmetic(node, _BINARY[type(node.op)], self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            return self._call(node)
        raise self.refuse(node, f"{_describe(node)} is not allowed")

    def _call(self, node: ast.Call) -> Value:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.refuse(node.func, f"only {', '.join(FUNCTIONS)} may be called")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise self.refuse(node, f"{node.func.id}() takes exactly one argument")
        return self._arithmetic(node, FUNCTIONS[node.func.id], self.visit(node.args[0]))

    def _arithmetic(self, node: ast.AST, op: Callable[..., Value], *operands: Value) -> Value:
        """Apply ``op``; a numeric error (log of a negative, x / 0) points at ``node``."""
        try:
            return op(*operands)
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            raise self.refuse(node, str(error)) from None


def _describe(node: ast.AST) -> str:
    names = {
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

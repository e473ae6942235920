"""``autograd.compile``: trace a scalar function once, replay it on arrays.

A training step builds a graph of the same shape every time; only the numbers change.
``compile`` runs the function once on traced inputs (an ordinary eager pass that records
the graph), groups the graph's nodes by (level, op, arity), and turns the groups into a
straight-line Python program over numpy arrays. Later calls with arguments of the same
structure run that program: no ``Value`` objects are built, the parameters' current
``.data`` is read at each call, and ``.backward()`` adds into their ``.grad`` as eager
``backward()`` would.

>>> import autograd
>>> from autograd import Value
>>> from autograd.compile import compile
>>> w = Value(0.5)
>>> @compile
... def loss(xs):
...     return autograd.sum([(w * x).tanh() for x in xs])
>>> out = loss([1.0, 2.0, 3.0])
>>> out.backward()
>>> round(out.data, 6), round(w.grad, 6)
(2.12886, 2.168516)

How the program is made (``step.explain()`` prints it):

- Each op's values and local derivatives come from its entry in :data:`autograd.ops.OPS`:
  the generic form ``op.forward(m, ...)`` / ``op.grads(m, ...)`` run on numpy arrays with
  ``m = ops.NUMPY``, so the replay and the eager engine share one definition per op. The
  n-ary ops (``sum``, ``dot``, ``linear``, ``logsumexp``) run as one matrix expression per group.
- Nodes at the same topological level with the same op and arity form a group, run as one
  array operation. A group of ``linear`` nodes that share their inputs, and whose weight
  rows repeat across samples, is a layer: it runs as one matrix product ``X @ W.T + b``.
- Tiny groups (a loss's final scalar arithmetic) run on Python floats with the ops' float rules.
- When the program would not beat the eager engine (a long narrow chain: many groups of
  one node), the function runs eagerly instead; ``explain()`` says so.

No silent wrong answers:

- The arguments' *structure* (nesting and lengths, or a numpy array's shape) is the trace
  key; their values are data. A new structure traces again (a small cache keeps the latest
  few traces).
- While tracing, reading ``.data`` of a ``Value`` that is not a constant (an argument, a
  parameter or anything computed from them) raises :class:`ConcreteValueError` naming the
  line, as JAX does: that number would be frozen into every later call (an ``if x.data > 0``
  branch, a max subtracted as a constant). The engine's own files may read values. Writing
  ``.data`` inside the function, reading or writing ``.grad`` (``w.grad``, ``zero_grad()``),
  and values computed under ``no_grad()``, are refused the same way. When the refusal happens
  inside the engine (``grad()`` without ``create_graph``), the message names your line.
- The parameters are the trace's ``Value`` objects. So that a rebound name cannot leave the
  replay on old ones (re-running ``model = nn.MLP(...)`` in a notebook), each call checks, as
  ``torch.compile``'s guards do, that the global names the function reads (in its code, in
  comprehensions and lambdas inside it, and in helper functions defined beside it) and its
  closure variables still name the objects they named at trace time (a tuple of ids, well
  under a microsecond). If one was rebound, the cache is dropped and the function traces
  again; after ``REBIND_WARNING`` such retraces a ``RuntimeWarning`` names the variable.
  Changes *inside* an object (a model's attributes, a list's items, ``self.model`` of a
  method) are not seen: change parameters through ``.data`` (optimisers and
  ``load_state_dict`` do), not by swapping the objects.
- Data checks of the losses: ``hinge_loss`` labels (±1) and ``cross_entropy`` target
  probabilities are traced data, so the losses register them with :func:`check_traced`;
  they are checked on the traced call and again, as arrays, on every replay, raising the
  eager ``ValueError``. A library function of your own can do the same.
- If a replay produces a non-finite loss or gradient, or raises (a domain error in a group
  run on floats, a failed data check), that call is recomputed eagerly, so errors (``log``
  of a negative number), infinities and NaNs are exactly the eager engine's.
  Under ``detect_anomaly()`` compiled functions always run eagerly.
- Sums are taken in numpy's order, not ``math.fsum``'s, so results agree with eager ones to
  rounding (about 1e-15 relative to the size of the terms), not bit for bit.

Semantics, as ``jax.jit`` users expect: Python control flow that depends only on the
structure (``len(batch)``) is fine; anything else the function closes over that is not a
``Value`` (a Python number, a list of labels) is frozen at trace time, until the name is
rebound (see above). Arguments are positional: keyword arguments are refused.
"""

from __future__ import annotations

import builtins
import linecache
import math
import numbers
import struct
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import CodeType, FrameType, FunctionType
from typing import Any

from autograd import functions, grad_mode, graph, higher, ops
from autograd import value as value_module
from autograd.value import Value

__all__ = ["Compiled", "CompiledValue", "ConcreteValueError", "check_traced", "compile"]

# A group whose size × arity is at most this runs on Python floats, one node at a time.
FLOAT_GROUP = 12
# More float-run nodes than this and the generated program would take long to compile (about
# 20 µs a node, some 20 eager passes): such graphs (long chains) run eagerly.
MAX_FLOAT_NODES = 1_000
# Estimated cost in µs of one numpy group (forward + backward), of one float-run node, and
# of one node in the eager engine; the replay is used only when it is estimated cheaper.
_NUMPY_GROUP_US, _FLOAT_NODE_US, _EAGER_NODE_US = 10.0, 1.2, 2.0
_N_ARY = ("sum", "dot", "linear", "logsumexp")
# After this many rebindings of the function's globals or closure variables, warn that each one traces again.
REBIND_WARNING = 8

_DATA = Value.__dict__["data"]  # the slot descriptors; swapped for watching properties while tracing
_GRAD = Value.__dict__["grad"]


class ConcreteValueError(TypeError):
    """A compiled function read (or wrote) the number inside a traced ``Value``.

    The function is traced once and replayed on new numbers, so a number read while tracing
    would be frozen into every later call. Express the computation with ``Value`` ops
    instead (``relu``, ``abs``, ``autograd.logsumexp``), or call the function uncompiled.
    """


# --- arguments: structure is the key, numbers are data ---


def _np() -> Any:
    import numpy

    return numpy


def _flatten(x: Any, path: str, flat: list[Any]) -> Any:
    """The signature of argument ``x``; appends its numbers (as arrays or floats) to ``flat``."""
    np = _np()
    if isinstance(x, Value):
        raise TypeError(
            f"compiled functions take numbers, not Values ({path} is a {type(x).__name__}): "
            "parameters are picked up from the function's closure"
        )
    if type(x) is float or type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, np.ndarray)):
        flat.append(np.array([float(x)]))
        return "s"
    if type(x) is np.ndarray and x.dtype == np.float64:  # the fast path: no copy, no checks
        flat.append(x.reshape(-1))
        return ("r", x.shape)
    if isinstance(x, np.ndarray) and type(x) is not np.ndarray and isinstance(x, np.ma.MaskedArray):
        if np.ma.getmaskarray(x).any():  # np.asarray would compute with the hidden numbers
            raise TypeError(f"compiled functions take numbers; {path} is a masked array with masked items")
        x = x.filled()
    if isinstance(x, (list, tuple, np.ndarray)):
        try:
            array = np.asarray(x)
        except ValueError:  # ragged nesting
            array = None
        if array is not None and array.dtype.kind in "biuf":
            flat.append(array.astype(float).ravel())
            return ("r", array.shape)
        if array is not None and array.dtype.kind != "O" and array.size:
            raise TypeError(f"compiled functions take numbers; {path} holds {array.dtype} items")
        if isinstance(x, np.ndarray):
            raise TypeError(f"compiled functions take numbers; {path} is an array of {x.dtype}")
        return ("n", tuple(_flatten(item, f"{path}[{i}]", flat) for i, item in enumerate(x)))
    raise TypeError(
        f"compiled functions take numbers and (nested) lists, tuples or numpy arrays of them; "
        f"{path} is a {type(x).__name__}"
    )


def _unflatten(sig: Any, items: Sequence[Any], start: int) -> tuple[Any, int]:
    """Rebuild an argument of signature ``sig`` from ``items[start:]`` as (nested) lists."""
    if sig == "s":
        return items[start], start + 1
    if sig[0] == "r":
        shape: tuple[int, ...] = sig[1]
        if not shape:
            return items[start], start + 1
        size = math.prod(shape)
        return _nest(items[start : start + size], shape), start + size
    out = []
    for child in sig[1]:
        value, start = _unflatten(child, items, start)
        out.append(value)
    return out, start


def _nest(items: Sequence[Any], shape: tuple[int, ...]) -> list[Any]:
    if len(shape) == 1:
        return list(items)
    step = math.prod(shape[1:])
    return [_nest(items[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


# --- tracing: an eager pass that refuses to look at the numbers ---


@dataclass
class _Watch:
    made_without_grad: set[int] = field(default_factory=set)
    error: ConcreteValueError | None = None
    checks: list[tuple[Callable[[Any], None], list[Value]]] = field(default_factory=list)


_watch: _Watch | None = None


def check_traced(values: Sequence[Value], check: Callable[[Any], None]) -> bool:
    """Check traced data (a loss's labels or targets) on the traced call and on every replay.

    A library function that validates its data (``hinge_loss`` wants labels ±1) cannot read
    the numbers of traced ``Value``s. It calls this instead: outside a trace it returns
    ``False`` (check the numbers yourself); while a compiled function is being traced it runs
    ``check`` at once on a 1 × n numpy array of the values' numbers, records it, and returns
    ``True``. Every replay then calls ``check`` once with a k × n array: a row for each of the
    k times the trace made this check with n values, holding that call's numbers. ``check``
    raises (as the library would eagerly) when a row is wrong, so a replay refuses the same
    data as the eager function. Values that the outputs do not depend on are not checked.
    """
    if _watch is None:
        return False
    values = list(values)
    _watch.checks.append((check, values))
    check(_np().array([[_DATA.__get__(v) for v in values]], dtype=float).reshape(1, len(values)))
    return True


# The files whose reads of ``.data`` are the engine's own work, not the user's.
_ENGINE = frozenset(m.__file__ or "" for m in (sys.modules[__name__], value_module, functions, ops, graph, higher))


def _line(frame: FrameType) -> str:
    code = frame.f_code
    line = linecache.getline(code.co_filename, frame.f_lineno).strip()
    return f"{code.co_filename}:{frame.f_lineno} in {code.co_name}" + (f": `{line}`" if line else "")


def _where(frame: FrameType) -> str:
    """The first line outside the engine, where the user called it (and the engine's line, if it was there)."""
    user: FrameType | None = frame
    while user is not None and user.f_code.co_filename in _ENGINE:
        user = user.f_back
    if user is None:
        return _line(frame)
    if user is frame:
        return _line(user)
    return f"{_line(user)} (in {_line(frame)})"


_ADVICE = "Compute it with Value ops instead (relu, abs, autograd.logsumexp, ...), or call the function uncompiled."
_GRAD_ADVICE = (
    "Read and zero .grad outside the compiled function (around loss.backward()); for a gradient inside it, "
    "use autograd.grad(..., create_graph=True)."
)


def _refuse(frame: FrameType, what: str, advice: str = _ADVICE) -> ConcreteValueError:
    error = ConcreteValueError(
        f"autograd.compile: the function {what} a traced Value at {_where(frame)}. "
        "A compiled function is traced once and replayed on new numbers, so that number would be "
        f"frozen into every later call (a branch taken once, a constant that goes stale). {advice}"
    )
    if _watch is not None and _watch.error is None:
        _watch.error = error
    return error


# Both run for every node the trace makes, so their globals are bound as defaults (fast locals).
def _read(
    node: Value, _get: Any = _DATA.__get__, _frame: Any = sys._getframe, _engine: frozenset[str] = _ENGINE
) -> float:
    if _frame(1).f_code.co_filename in _engine or not node.requires_grad:
        value: float = _get(node)
        return value
    raise _refuse(_frame(1), "read the number inside")


def _write(
    node: Value, value: float, _set: Any = _DATA.__set__, _frame: Any = sys._getframe, _engine: frozenset[str] = _ENGINE
) -> None:
    if _frame(1).f_code.co_filename not in _engine:
        raise _refuse(_frame(1), "wrote the number inside")
    if _watch is not None:
        if not grad_mode.enabled:
            _watch.made_without_grad.add(id(node))
        elif _watch.made_without_grad:
            _watch.made_without_grad.discard(id(node))
    _set(node, value)


_WATCHING = property(_read, _write)


def _read_grad(
    node: Value, _get: Any = _GRAD.__get__, _frame: Any = sys._getframe, _engine: frozenset[str] = _ENGINE
) -> float:
    """A gradient read while tracing is the number of that moment: a replay would keep it."""
    if _frame(1).f_code.co_filename in _engine:
        value: float = _get(node)
        return value
    raise _refuse(_frame(1), "read the gradient (.grad) of", _GRAD_ADVICE)


def _write_grad(
    node: Value, value: float, _set: Any = _GRAD.__set__, _frame: Any = sys._getframe, _engine: frozenset[str] = _ENGINE
) -> None:
    """Zeroing or setting ``.grad`` inside is a side effect that the replay would not repeat."""
    if _frame(1).f_code.co_filename not in _engine:
        raise _refuse(_frame(1), "wrote the gradient (.grad, e.g. zero_grad()) of", _GRAD_ADVICE)
    _set(node, value)


# (A Constant's ``grad`` is its own property, always 0: it is not watched and needs no watching.)
_WATCHING_GRAD = property(_read_grad, _write_grad)
_LOCALS = Value.__dict__["local_grads"]


def _read_locals(node: Value, _get: Any = _LOCALS.__get__, _frame: Any = sys._getframe) -> tuple[float, ...]:
    """Local derivatives are numbers of the trace too: a backward pass over them would be frozen."""
    if _frame(1).f_code.co_filename == __file__:
        value: tuple[float, ...] = _get(node)
        return value
    error = ConcreteValueError(
        f"autograd.compile: the function ran a backward pass over stored local derivatives at {_where(_frame(1))}. "
        "Those numbers would be frozen into every later call. Inside a compiled function take gradients with "
        "autograd.grad(..., create_graph=True), whose gradients are Values the replay recomputes."
    )
    if _watch is not None and _watch.error is None:
        _watch.error = error
    raise error


_WATCHING_LOCALS = property(_read_locals, _LOCALS.__set__)


@contextmanager
def _watching() -> Iterator[_Watch]:
    """Swap ``Value.data`` and ``.grad`` for properties that refuse reads from outside the engine."""
    global _watch
    _watch = _Watch()
    setattr(Value, "data", _WATCHING)  # noqa: B010 - a class attribute swapped for the trace only
    setattr(Value, "grad", _WATCHING_GRAD)  # noqa: B010
    setattr(Value, "local_grads", _WATCHING_LOCALS)  # noqa: B010
    try:
        yield _watch
    finally:
        setattr(Value, "data", _DATA)  # noqa: B010
        setattr(Value, "grad", _GRAD)  # noqa: B010
        setattr(Value, "local_grads", _LOCALS)  # noqa: B010
        _watch = None


# --- the compiled program ---


@dataclass
class _Access:
    """How a group reads one operand (a vector of G slots, or a G×n matrix) and scatters its gradient."""

    expr: str  # the Python expression that reads it
    scatter: Callable[[str], str] | None  # statement adding a contribution into D (None: never needed)


@dataclass
class _Group:
    level: int
    op: str
    arity: int
    params: tuple[float, ...]
    members: list[int]
    kind: str = "numpy"  # numpy, matmul, floats
    start: int = 0
    needs_grad: bool = False
    shape: tuple[int, int, int] = (0, 0, 0)  # matmul: samples, units, inputs
    # matmul: each unit's (weights, bias, number) and each sample's inputs, as node indices;
    # each member's (sample number, unit number)
    units: list[tuple[list[int], int, int]] = field(default_factory=list)
    samples: list[list[int]] = field(default_factory=list)
    member_key: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.members)

    def describe(self) -> str:
        shown = ops.OPS[self.op].display(self.params)
        if self.kind == "matmul":
            s, u, n = self.shape
            how = f"matmul {s}×{n} @ {n}×{u} + b"
        elif self.kind == "floats":
            how = "Python floats"
        else:
            how = "numpy"
        return f"{self.level:>5}  {shown:<10}{self.arity:>7}{self.size:>8}   {how}"


@dataclass
class _Program:
    """One trace, compiled: what ``explain()`` shows and what a call runs."""

    signature: Any
    nodes: int
    edges: int
    groups: list[_Group]
    params: list[Value]
    outputs: Any  # the result's structure: nested lists/tuples of _Out markers and numbers
    mode: str  # "replay" or "eager"
    reason: str = ""
    out_slots: list[int] = field(default_factory=list)
    source: str = ""
    run: Callable[..., Any] | None = None
    n_inputs: int = 0
    param_range: tuple[int, int] = (0, 0)


class CompiledValue:
    """The result of a compiled call: ``.data`` like a ``Value``; ``.backward()`` fills the parameters' ``.grad``.

    It is not a ``Value``: arithmetic on it would build a graph that the parameters are not
    part of, so it raises. Put everything the loss needs inside the compiled function.
    """

    __slots__ = ("data", "grad", "_call", "_output")

    def __init__(self, data: float, call: _Call, output: int) -> None:
        self.data = data
        self.grad = 0.0
        self._call = call
        self._output = output

    def backward(self) -> None:
        """Back-propagate from this output: parameters' ``.grad`` accumulate, as with ``Value.backward()``."""
        self._call.backward(self._output)
        self.grad = 1.0

    def __repr__(self) -> str:
        return f"CompiledValue(data={self.data!r})"


class _Call:
    """One replayed call: the suspended program, waiting to run its backward pass."""

    __slots__ = ("compiled", "program", "generator")

    def __init__(self, compiled: Compiled, program: _Program, generator: Any) -> None:
        self.compiled, self.program, self.generator = compiled, program, generator

    def backward(self, output: int) -> None:
        grads, forward_params, forward_inputs = self.generator.send(self.program.out_slots[output])
        if not _np().isfinite(grads).all():
            self._eager_backward(output, forward_params, forward_inputs)
            return
        for p, g in zip(self.program.params, memoryview(grads)):
            p.grad += g

    def _eager_backward(self, output: int, forward_params: Any, forward_inputs: Any) -> None:
        """A non-finite gradient: redo this call eagerly, with the parameters as they were in its forward pass."""
        params = self.program.params
        now = [p.data for p in params]
        for p, x in zip(params, forward_params.tolist()):
            p.data = x
        try:
            result = self.compiled.fn(*self.compiled._plain_args(self.program.signature, [forward_inputs]))
        finally:
            for p, x in zip(params, now):
                p.data = x
        outputs = [v for v in _leaves_of(_output_tree(result)) if isinstance(v, Value)]
        outputs[output].backward()


class _Guards:
    """The objects a function's global and closure variables name, checked by identity at every call.

    A notebook that re-runs ``model = nn.MLP(...)`` binds ``model`` to a new object; a trace
    made with the old one would keep replaying (and training) the old parameters. So, as
    ``torch.compile`` does, the names the function loads from its globals (``LOAD_GLOBAL``, in
    its code and in nested code such as comprehensions), the contents of its closure cells,
    and the same for helper functions defined beside it are recorded at trace time; a call
    whose names point elsewhere traces again. The recorded objects are kept alive, so their
    ``id``s stay unique and comparing a tuple of ids is exact. What is *inside* an object
    (a list's items, a model's attributes) is not guarded.
    """

    __slots__ = ("_globals", "_cells", "_ids", "_objects", "_names")

    def __init__(self, fn: Any) -> None:
        self._globals: list[tuple[Callable[[str, Any], Any], str]] = []
        self._cells: list[tuple[Any, str]] = []
        self._ids: tuple[int, ...] = ()
        self._objects: list[Any] = []
        self._names: list[str] = []
        function = getattr(fn, "__func__", fn)  # a bound method: its function
        if isinstance(function, FunctionType):
            self._collect(function, function.__globals__, set())

    def _collect(self, function: FunctionType, namespace: dict[str, Any], seen: set[int]) -> None:
        if id(function) in seen:
            return
        seen.add(id(function))
        helpers = []
        for name in _global_names(function.__code__):
            if name in namespace:
                self._globals.append((namespace.get, name))
                self._names.append(name)
                helpers.append(namespace[name])
        free = function.__code__.co_freevars
        for name, cell in zip(free, function.__closure__ or ()):
            self._cells.append((cell, name))
            self._names.append(name)
            helpers.append(_cell_contents(cell))
        for helper in helpers:  # a helper defined beside the function reads the same globals
            if isinstance(helper, FunctionType) and helper.__globals__ is namespace:
                self._collect(helper, namespace, seen)

    def current(self) -> list[Any]:
        objects = [get(name, _MISSING) for get, name in self._globals]
        objects += [_cell_contents(cell) for cell, _ in self._cells]
        return objects

    def record(self) -> None:
        self._objects = self.current()
        self._ids = tuple(map(id, self._objects))

    def changed(self) -> bool:
        return tuple(map(id, self.current())) != self._ids

    def which(self) -> list[str]:
        now = self.current()
        return [name for name, a, b in zip(self._names, self._objects, now) if a is not b]


_MISSING = object()


def _cell_contents(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # a variable not assigned yet
        return _MISSING


def _global_names(code: CodeType) -> list[str]:
    """The global names ``code`` loads, and the code nested in it (comprehensions, lambdas) loads."""
    import dis

    names: dict[str, None] = {}
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            names[instruction.argval] = None
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names.update(dict.fromkeys(_global_names(const)))
    return list(names)


class _Out:
    """Where an output Value sits in the result's structure."""


class Compiled:
    """A compiled function: call it like the original; ``explain()`` shows what was compiled.

    Attributes:
        fn: the original function.
        cache_size: how many traces (argument structures) are kept.
        traces: how many times the function has been traced.
    """

    def __init__(self, fn: Callable[..., Any], cache_size: int = 8) -> None:
        if not callable(fn):
            raise TypeError(f"autograd.compile needs a function, got {type(fn).__name__}")
        size: object = cache_size
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise TypeError(f"cache_size must be a whole number, got {type(size).__name__}")
        if size < 1:
            raise ValueError(f"cache_size must be at least 1 (how many traces to keep), got {size}")
        self.fn = fn
        self.cache_size = int(size)
        self.traces = 0
        self.rebinds = 0  # how often a rebound global or closure variable cleared the cache
        self._cache: OrderedDict[Any, _Program] = OrderedDict()
        self._guards = _Guards(fn)
        self.__doc__ = getattr(fn, "__doc__", None)
        self.__name__ = getattr(fn, "__name__", "compiled")
        self.__wrapped__ = fn

    def __repr__(self) -> str:
        return f"autograd.compile({self.__name__}, {len(self._cache)} trace(s) cached)"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(
                f"compiled functions take positional arguments only; {self.__name__} got keyword "
                f"argument(s) {', '.join(map(repr, kwargs))}: call it as {self.__name__}(x, y, ...)"
            )
        if _watch is not None:  # called inside another compiled function's trace: just trace through
            return self.fn(*args)
        flat: list[Any] = []
        signature = tuple(_flatten(a, f"argument {i}", flat) for i, a in enumerate(args))
        if self._cache and self._guards.changed():
            self._rebound()
        program = self._cache.get(signature)
        if program is None:
            return self._trace(signature, flat)
        self._cache.move_to_end(signature)
        if program.mode == "eager" or grad_mode.anomaly:
            return self._eager(signature, flat)
        return self._replay(program, signature, flat)

    def _rebound(self) -> None:
        """A global or closure variable the function reads now names another object: trace again."""
        names = self._guards.which()
        self._cache.clear()
        self.rebinds += 1
        if self.rebinds == REBIND_WARNING:
            warnings.warn(
                f"autograd.compile({self.__name__}): {', '.join(names)} changed between calls "
                f"{self.rebinds} times, and each change traces the function again. Pass changing "
                "numbers as arguments, or keep one model object and change its parameters' .data.",
                RuntimeWarning,
                stacklevel=3,
            )

    # --- running ---

    def _plain_args(self, signature: Any, flat: list[Any]) -> tuple[Any, ...]:
        np = _np()
        numbers_ = (np.concatenate(flat) if flat else np.zeros(0)).tolist()
        args, start = [], 0
        for sig in signature:
            arg, start = _unflatten(sig, numbers_, start)
            args.append(arg)
        return tuple(args)

    def _eager(self, signature: Any, flat: list[Any]) -> Any:
        return self.fn(*self._plain_args(signature, flat))

    def _replay(self, program: _Program, signature: Any, flat: list[Any]) -> Any:
        assert program.run is not None
        generator = program.run(flat, program.params)
        try:
            values = next(generator)
        except (ValueError, ArithmeticError):  # a float rule's domain error, a data check: eager says which
            return self._eager(signature, flat)
        if not all(map(math.isfinite, values)):
            generator.close()
            return self._eager(signature, flat)  # exactly the eager engine's errors, infinities and NaNs
        if not grad_mode.enabled:  # as eager under no_grad: plain leaves
            generator.close()
            return _build_outputs(program.outputs, values, lambda data, slot: Value(data))
        call = _Call(self, program, generator)
        return _build_outputs(program.outputs, values, lambda data, k: CompiledValue(data, call, k))

    # --- tracing ---

    def _trace(self, signature: Any, flat: list[Any]) -> Any:
        np = _np()
        inputs = np.concatenate(flat) if flat else np.zeros(0)
        leaves = [Value(x) for x in inputs.tolist()]
        traced_args, start = [], 0
        for sig in signature:
            arg, start = _unflatten(sig, leaves, start)
            traced_args.append(arg)
        recording = grad_mode.enabled
        if not self._cache:  # every cached trace was made with the objects the guards hold
            self._guards.record()
        with grad_mode.enable_grad(), _watching() as watch:  # a call under no_grad() still needs the graph
            result = self.fn(*traced_args)
        if watch.error is not None:
            raise watch.error  # it was raised inside the function, which swallowed it
        program = _compile(signature, result, leaves, watch, [len(f) for f in flat])
        self.traces += 1
        self._cache[signature] = program
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        if not recording:  # as eager under no_grad: plain leaves
            values = [v.data for v in _leaves_of(_output_tree(result)) if isinstance(v, Value)]
            return _build_outputs(program.outputs, values, lambda data, k: Value(data))
        return result  # the trace is an eager pass: its result is exactly eager's

    # --- showing ---

    def explain(self, source: bool = False, file: Any = None) -> None:
        """Print each cached trace: its groups in the order they run, and why, if it runs eagerly.

        Args:
            source: also print the generated Python program.
            file: where to print (default ``sys.stdout``).
        """
        out = file or sys.stdout
        if not self._cache:
            print(f"autograd.compile({self.__name__}): not traced yet; call it once.", file=out)
            return
        for program in self._cache.values():
            print(_explain(self.__name__, program), file=out)
            if source and program.source:
                print(program.source, file=out)


def _build_outputs(tree: Any, values: Sequence[float], make: Callable[[float, int], Any]) -> Any:
    """The function's result shape with output k made by ``make(values[k], k)``."""
    counter = iter(range(len(values)))

    def build(t: Any) -> Any:
        if isinstance(t, _Out):
            k = next(counter)
            return make(values[k], k)
        if isinstance(t, list):
            return [build(x) for x in t]
        if isinstance(t, tuple):
            return tuple(build(x) for x in t)
        return t

    return build(tree)


def _describe_signature(signature: Any) -> str:
    def one(sig: Any) -> str:
        if sig == "s":
            return "number"
        if sig[0] == "r":
            return "×".join(map(str, sig[1])) or "number"
        return "[" + ", ".join(one(s) for s in sig[1]) + "]"

    return "(" + ", ".join(one(s) for s in signature) + ")"


def _explain(name: str, p: _Program) -> str:
    lines = [f"autograd.compile({name}) for arguments {_describe_signature(p.signature)}:"]
    lines.append(f"  traced {p.nodes:,} nodes and {p.edges:,} edges; {len(p.params):,} parameters read at each call")
    if p.mode == "eager":
        lines.append(f"  runs eagerly: {p.reason}")
        return "\n".join(lines)
    floats = sum(g.size for g in p.groups if g.kind == "floats")
    lines.append(
        f"  replayed as {sum(g.kind != 'floats' for g in p.groups)} array operations"
        f" and {floats} float operations, in this order:"
    )
    lines.append(f"  {'level':>5}  {'op':<10}{'arity':>7}{'nodes':>8}   runs as")
    lines.extend("  " + g.describe() for g in p.groups)
    return "\n".join(lines)


def compile(fn: Callable[..., Any] | None = None, *, cache_size: int = 8) -> Any:  # noqa: A001
    """Compile a scalar function of numbers into a replayed array program.

    Args:
        fn: a function of numbers and (nested) lists/tuples/numpy arrays of numbers that
            returns a ``Value`` (or a list/tuple of them). It may close over parameters
            (``Value`` leaves, e.g. a model's), whose ``.grad`` a backward pass fills.
        cache_size: how many argument structures to keep compiled.

    Returns:
        A :class:`Compiled` function. Its results have ``.data`` and ``.backward()``.

    Example:
        >>> import nn
        >>> model = nn.MLP(2, [4, 1], seed=0)
        >>> step = compile(lambda X, y: nn.mse_loss([model(x)[0] for x in X], y))
        >>> loss = step([[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0])
        >>> loss.backward()
    """
    if fn is None:
        return lambda f: Compiled(f, cache_size)
    return Compiled(fn, cache_size)


# --- from a trace to a program ---


class _Root:
    """A stand-in root whose parents are the outputs, for one topological order over all of them."""

    __slots__ = ("parents",)

    def __init__(self, parents: tuple[Value, ...]) -> None:
        self.parents = parents


def _output_tree(result: Any, path: str = "the result") -> Any:
    if isinstance(result, Value):
        return result
    if isinstance(result, (list, tuple)):
        items = [_output_tree(r, f"{path}[{i}]") for i, r in enumerate(result)]
        return items if isinstance(result, list) else tuple(items)
    if isinstance(result, numbers.Real):
        return float(result)
    raise TypeError(
        f"a compiled function must return a Value, a number, or lists/tuples of them; {path} is a "
        f"{type(result).__name__}"
    )


def _compile(signature: Any, result: Any, leaves: list[Value], watch: _Watch, pieces: list[int]) -> _Program:
    tree = _output_tree(result)
    outputs = [v for v in _leaves_of(tree) if isinstance(v, Value)]
    order: list[Any] = graph.topological_order(_Root(tuple(outputs)))
    order.pop()  # the stand-in root
    builder = _Builder(order, leaves, outputs, watch.made_without_grad, watch.checks)
    return builder.program(signature, tree, outputs, pieces)


def _leaves_of(tree: Any) -> list[Any]:
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves_of(item)]
    return [tree]


class _Builder:
    """Groups a traced graph, lays its values out in one array, and writes the program."""

    def __init__(
        self,
        order: list[Value],
        leaves: list[Value],
        outputs: list[Value],
        made_without_grad: set[int],
        checks: Sequence[tuple[Callable[[Any], None], list[Value]]] = (),
    ) -> None:
        np = _np()
        self.order = order
        self.n_inputs = len(leaves)
        # Values hash by identity, so they key dicts directly.
        position: dict[Any, int] = {node: i for i, node in enumerate(order)}
        self.outputs = [position[v] for v in outputs]
        inputs = {v: k for k, v in enumerate(leaves)}
        n = len(order)
        kind = [""] * n  # input, param, const, op
        level = [0] * n
        needs = [False] * n
        slot = [-1] * n
        get = position.__getitem__
        params: list[int] = []
        consts: list[int] = []
        groups: dict[tuple[Any, ...], list[int]] = {}
        # every node's parents, as indices into order: node i's are edges[offsets[i]:offsets[i + 1]]
        edges: list[int] = []
        offsets = [0] * (n + 1)
        self.edge_list, self.offsets = edges, offsets
        level_of, needs_of = level.__getitem__, needs.__getitem__
        for i, node in enumerate(order):
            parents = node.parents
            if parents:
                kind[i] = "op"
                pidx = list(map(get, parents))
                edges += pidx
                level[i] = 1 + max(map(level_of, pidx))
                needs[i] = any(map(needs_of, pidx))
                key = (level[i], node.op, len(pidx), node.params)
                groups.setdefault(key, []).append(i)
            elif node in inputs:
                kind[i] = "input"
                slot[i] = inputs[node]
            elif not node.requires_grad:
                kind[i] = "const"
                consts.append(i)
            else:
                if id(node) in made_without_grad:
                    raise ConcreteValueError(
                        "autograd.compile: the function computed a value under no_grad() from traced numbers; "
                        "it would be frozen at its first value. Compute it outside and pass it as an argument."
                    )
                kind[i] = "param"
                needs[i] = True
                params.append(i)
            offsets[i + 1] = len(edges)
        # data checks (check_traced): each check's rows of node indices, one row per time it was made
        rows: dict[tuple[Any, int], list[list[int]]] = {}
        for check, values in checks:
            row = [position[v] for v in values if v in position]
            if row:
                rows.setdefault((check, len(row)), []).append(row)
        self.checks = [(check, table) for (check, _), table in rows.items()]
        del position, inputs, get  # the largest of the build's own tables: free it before the layout
        self.edges = len(edges)
        self.kind, self.level, self.needs, self.slot = kind, level, needs, slot
        self.group_list = [
            _Group(key[0], key[1], key[2], key[3], members) for key, members in sorted(groups.items(), key=_group_order)
        ]
        self.np = np
        self._layout(params, consts)

    # --- layout: one flat array V holds inputs, parameters, constants, then every group's output ---

    def _layout(self, params: list[int], consts: list[int]) -> None:
        order, kind, slot = self.order, self.kind, self.slot
        for g in self.group_list:
            g.needs_grad = any(self.needs[i] for i in g.members)
            if g.size * g.arity <= FLOAT_GROUP:
                g.kind = "floats"
            elif g.op == "linear" and self._find_layer(g):
                g.kind = "matmul"
        # Parameters and constants in order of first use, a layer's weights row by row: then a
        # layer's W and b are contiguous and read without gathering.
        seen: set[int] = set()
        param_order: list[int] = []
        const_order: list[int] = []

        def touch(i: int) -> None:
            if i not in seen and kind[i] in ("param", "const"):
                seen.add(i)
                (param_order if kind[i] == "param" else const_order).append(i)

        parents_of = self.parents_of
        layers_first = sorted(self.group_list, key=lambda g: g.kind != "matmul")  # stable: level order within
        for g in layers_first:
            if g.kind == "matmul":
                for ws, _, _ in g.units:
                    for i in ws:
                        touch(i)
                for _, b, _ in g.units:
                    touch(b)
                for xs in g.samples:
                    for i in xs:
                        touch(i)
            else:
                for i in g.members:
                    for j in parents_of(i):
                        touch(j)
        for i in params + consts:  # leaves only reachable as outputs
            touch(i)
        base = self.n_inputs
        for k, i in enumerate(param_order):
            slot[i] = base + k
        self.param_order = param_order
        self.param_range = (base, base + len(param_order))
        base += len(param_order)
        for k, i in enumerate(const_order):
            slot[i] = base + k
        self.const_range = (base, base + len(const_order))
        self.const_values = [order[i].data for i in const_order]
        base += len(const_order)
        for g in self.group_list:
            g.start = base
            if g.kind == "matmul":
                rows = sorted(range(len(g.samples)), key=lambda s: [slot[i] for i in g.samples[s]])
                g.samples = [g.samples[s] for s in rows]
                g.units.sort(key=lambda unit: slot[unit[0][0]])
                row_of = {s: r for r, s in enumerate(rows)}
                column_of = {unit[2]: c for c, unit in enumerate(g.units)}
                width = len(g.units)
                for i in g.members:
                    s, u = g.member_key[i]
                    slot[i] = base + row_of[s] * width + column_of[u]
                g.member_key = {}
                g.members.sort(key=slot.__getitem__)
                g.shape = (len(g.samples), len(g.units), len(g.units[0][0]))
            else:
                g.members.sort(key=lambda i: self._member_order(i))
                for k, i in enumerate(g.members):
                    slot[i] = base + k
            base += g.size
        self.size = base

    def _member_order(self, i: int) -> tuple[int, ...]:
        slot = self.slot
        start = self.offsets[i]
        return (*[slot[j] for j in self.edge_list[start : min(start + 4, self.offsets[i + 1])]], i)

    def _find_layer(self, g: _Group) -> bool:
        """Whether a group of ``linear`` nodes is samples × units sharing inputs and weights: a matmul."""
        n = (g.arity - 1) // 2
        samples: dict[tuple[int, ...], int] = {}
        units: dict[tuple[int, ...], int] = {}
        pairs = set()
        member_key = {}
        for i in g.members:
            idx = self.parents_of(i)
            ws, xs, b = tuple(idx[:n]), tuple(idx[n : 2 * n]), idx[2 * n]
            unit = ws + (b,)
            s = samples.setdefault(xs, len(samples))
            u = units.setdefault(unit, len(units))
            pairs.add((s, u))
            member_key[i] = (s, u)
        if len(pairs) != g.size or len(samples) * len(units) != g.size or (len(samples) == 1 and len(units) == 1):
            return False
        g.samples = [list(xs) for xs in samples]
        g.units = [(list(unit[:-1]), unit[-1], k) for k, unit in enumerate(units)]
        g.member_key = member_key
        return True

    # --- code generation ---

    def program(self, signature: Any, tree: Any, outputs: list[Value], pieces: list[int]) -> _Program:
        self.pieces = pieces
        nodes = len(self.order)
        groups = self.group_list
        floats = sum(g.size for g in groups if g.kind == "floats")
        arrays = sum(g.kind != "floats" for g in groups)
        replay_us = arrays * _NUMPY_GROUP_US + floats * _FLOAT_NODE_US + 0.05 * len(self.param_order)
        eager_us = nodes * _EAGER_NODE_US + 0.05 * self.edges
        params = [self.order[i] for i in self.param_order]
        out_tree = self._out_tree(tree)
        program = _Program(signature, nodes, self.edges, groups, params, out_tree, "replay")
        program.n_inputs, program.param_range = self.n_inputs, self.param_range
        program.out_slots = [self.slot[i] for i in self.outputs]
        if floats > MAX_FLOAT_NODES:
            program.mode = "eager"
            program.reason = f"{floats:,} nodes would run one at a time (a long narrow chain); eager is as fast"
            return program
        if replay_us >= eager_us:
            program.mode = "eager"
            program.reason = (
                f"{len(groups)} groups for {nodes} nodes: the replay (~{replay_us:.0f} µs) would not beat "
                f"the eager engine (~{eager_us:.0f} µs)"
            )
            return program
        source, namespace = self._generate(outputs)
        exec(builtins.compile(source, "<autograd.compile>", "exec"), namespace)
        program.source = source
        program.run = namespace["program"]
        return program

    def _out_tree(self, tree: Any) -> Any:
        if isinstance(tree, Value):
            return _Out()
        if isinstance(tree, list):
            return [self._out_tree(t) for t in tree]
        if isinstance(tree, tuple):
            return tuple(self._out_tree(t) for t in tree)
        return tree

    def _generate(self, outputs: list[Value]) -> tuple[str, dict[str, Any]]:
        np = self.np
        ns: dict[str, Any] = {"np": np, "NP": ops.NUMPY, "_math": math}
        self.ns = ns
        self.counter = 0
        self.matrices: dict[tuple[Any, ...], _Access] = {}
        slot = self.slot
        self.float_nodes: set[int] = {i for g in self.group_list if g.kind == "floats" for i in g.members}
        # float-run nodes whose value array code reads (so it is stored in V), or whose gradient
        # array code or the seed adds into D
        self.shared: set[int] = set(self.outputs) & self.float_nodes
        for g in self.group_list:
            if g.kind == "matmul":
                operands = [i for ws, b, _ in g.units for i in (*ws, b)] + [i for xs in g.samples for i in xs]
            elif g.kind != "floats":
                operands = [j for i in g.members for j in self.parents_of(i)]
            else:
                continue
            self.shared.update(self.float_nodes.intersection(operands))
        for _, table in self.checks:
            self.shared.update(self.float_nodes.intersection(i for row in table for i in row))
        fwd: list[str] = []
        bwd_groups: list[list[str]] = []
        for g in self.group_list:
            f, b = self._group_code(g)
            fwd += f
            bwd_groups.append(b)
        out_slots = [slot[i] for i in self.outputs]
        p0, p1 = self.param_range
        c0, c1 = self.const_range
        head = ["def program(pieces, PARAMS):", f"    V = np.empty({self.size})"]
        if len(self.pieces) <= 8:
            start = 0
            for k, size in enumerate(self.pieces):
                head.append(f"    V[{start}:{start + size}] = pieces[{k}]")
                start += size
        else:
            head.append(f"    V[0:{self.n_inputs}] = np.concatenate(pieces)")
        if p1 > p0:
            # struct packs a list of floats into doubles about three times faster than numpy converts it
            ns["PACK"] = struct.Struct(f"{p1 - p0}d").pack
            head.append(f"    V[{p0}:{p1}] = np.frombuffer(PACK(*[p.data for p in PARAMS]))")
        if c1 > c0:
            ns["CONSTS"] = np.array(self.const_values)
            head.append(f"    V[{c0}:{c1}] = CONSTS")
        head.append("    with np.errstate(all='ignore'):")
        body = ["        " + line for line in fwd] or ["        pass"]
        if self.checks:  # the data checks, on this call's numbers, before anything is returned
            ns["CHECKS"] = [
                (check, np.array([[slot[i] for i in row] for row in table])) for check, table in self.checks
            ]
            body.append("    for check, rows in CHECKS:")
            body.append("        check(V[rows])")
        outs = []
        for s, i in zip(out_slots, self.outputs):
            outs.append(f"f{i}" if i in self.float_nodes else f"V.item({s})")
        tail = [f"    slot = yield ({', '.join(outs)}{',' if len(outs) == 1 else ''})"]
        tail.append("    while True:")
        tail.append(f"        D = np.zeros({self.size})")
        tail.append("        D[slot] = 1.0")
        inits = [f"g{i} = " for g in self.group_list if g.kind == "floats" and g.needs_grad for i in g.members]
        if inits:
            tail.append("        " + "".join(inits) + "0.0")
        tail.append("        with np.errstate(all='ignore'):")
        bwd = [line for b in reversed(bwd_groups) for line in b]
        tail += ["            " + line for line in bwd] or ["            pass"]
        tail.append(f"        slot = yield D[{p0}:{p1}], V[{p0}:{p1}], V[0:{self.n_inputs}]")
        source = "\n".join(head + body + tail) + "\n"
        return source, ns

    def _name(self, prefix: str, value: Any) -> str:
        self.counter += 1
        name = f"{prefix}{self.counter}"
        self.ns[name] = value
        return name

    def _literal(self, x: float) -> str:
        return repr(x) if math.isfinite(x) else f"float('{x!r}')"

    # operands

    def _vector(self, idx: list[int]) -> _Access:
        """Read G parents (node indices) as a vector, and scatter into them."""
        np = self.np
        kind, slot = self.kind, self.slot
        if all(kind[i] == "const" for i in idx) and len({self.order[i].data for i in idx}) == 1:
            return _Access(self._literal(self.order[idx[0]].data), None)
        needs = any(self.needs[i] for i in idx)
        slots = np.array([slot[i] for i in idx], dtype=np.intp)
        g = len(idx)
        a = int(slots[0])
        if (slots == a).all():
            return _Access(f"V[{a}]", (lambda c: f"D[{a}] += ({c}).sum()") if needs else None)
        if (np.diff(slots) == 1).all():
            return _Access(f"V[{a}:{a + g}]", (lambda c: f"D[{a}:{a + g}] += {c}") if needs else None)
        name = self._name("I", slots)
        return _Access(f"V[{name}]", self._scatter(slots, name) if needs else None)

    def _matrix(self, rows: list[list[int]]) -> _Access:
        """Read a G×n matrix of parents, and scatter into them."""
        np = self.np
        slot = self.slot
        slots = np.array([[slot[i] for i in row] for row in rows], dtype=np.intp)
        needs = any(self.needs[i] for row in rows for i in row)
        g, n = slots.shape
        key = (slots.shape, slots.tobytes(), needs)
        if key in self.matrices:  # the same operand twice (dot(p, p)): the same expression
            return self.matrices[key]
        a = int(slots.flat[0])
        if (slots.ravel() == np.arange(a, a + g * n)).all():
            view = f"V[{a}:{a + g * n}].reshape({g}, {n})"
            access = _Access(view, (lambda c: f"D[{a}:{a + g * n}].reshape({g}, {n})[...] += {c}") if needs else None)
        else:
            name = self._name("I", slots)
            access = _Access(f"V[{name}]", self._scatter(slots, name) if needs else None)
        self.matrices[key] = access
        return access

    def _scatter(self, slots: Any, name: str) -> Callable[[str], str]:
        np = self.np
        flat = slots.ravel()
        unique, inverse = np.unique(flat, return_inverse=True)
        if len(unique) == len(flat):
            return lambda c: f"D[{name}] += {c}"
        u = self._name("U", unique)
        j = self._name("J", inverse.ravel())
        shape = slots.shape
        return lambda c: f"D[{u}] += np.bincount({j}, np.broadcast_to({c}, {shape}).ravel(), {len(unique)})"

    # groups

    def _group_code(self, g: _Group) -> tuple[list[str], list[str]]:
        if g.kind == "floats":
            return self._float_code(g)
        if g.kind == "matmul":
            return self._matmul_code(g)
        if g.op in _N_ARY:
            return self._nary_code(g)
        return self._elementwise_code(g)

    def parents_of(self, i: int) -> list[int]:
        """Node i's parents, as indices into the order."""
        return self.edge_list[self.offsets[i] : self.offsets[i + 1]]

    def _elementwise_code(self, g: _Group) -> tuple[list[str], list[str]]:
        k = self._name("k", None)
        op = ops.OPS[g.op]
        fwd_fn = self._name("F", op.forward)
        grads_fn = self._name("G", op.grads)
        columns = list(zip(*(self.parents_of(i) for i in g.members)))
        access = [self._vector(list(col)) for col in columns]
        xs = [f"x{k}_{p}" for p in range(g.arity)]
        params = "".join(f", {self._literal(x)}" for x in g.params)
        s, e = g.start, g.start + g.size
        fwd = [f"# level {g.level}: {op.display(g.params)} × {g.size}"]
        fwd += [f"{x} = {a.expr}" for x, a in zip(xs, access)]
        fwd.append(f"a{k} = {fwd_fn}(NP, {', '.join(xs)}{params})")
        fwd.append(f"V[{s}:{e}] = a{k}")
        bwd: list[str] = []
        if g.needs_grad and any(a.scatter for a in access):
            bwd.append(f"# level {g.level}: {op.display(g.params)} × {g.size}")
            bwd.append(f"u = D[{s}:{e}]")
            bwd.append(f"l = {grads_fn}(NP, a{k}, {', '.join(xs)}{params})")
            for p, a in enumerate(access):
                if a.scatter:
                    bwd.append(a.scatter(f"l[{p}] * u"))
        return fwd, bwd

    def _nary_code(self, g: _Group) -> tuple[list[str], list[str]]:
        k = self._name("k", None)
        rows = [self.parents_of(i) for i in g.members]
        s, e = g.start, g.start + g.size
        fwd = [f"# level {g.level}: {g.op} of {g.arity} × {g.size}"]
        bwd = [f"# level {g.level}: {g.op} of {g.arity} × {g.size}", f"u = D[{s}:{e}]", "uc = u[:, None]"]
        # The namespace's sum and logsumexp take an array whose first axis runs over the terms.
        if g.op == "sum":
            m = self._matrix(rows)
            fwd += [f"M{k} = {m.expr}", f"a{k} = NP.sum(M{k}.T)"]
            parts = [(m, "uc")]
        elif g.op == "logsumexp":  # ∂/∂x_j = exp(x_j − out), the op's generic grads, a row at a time
            m = self._matrix(rows)
            fwd += [f"M{k} = {m.expr}", f"a{k} = NP.logsumexp(M{k}.T)"]
            parts = [(m, f"np.exp(M{k} - a{k}[:, None]) * uc")]
        else:  # dot and linear: Σ w x (+ b); ∂/∂w = x, ∂/∂x = w
            n = g.arity // 2
            w = self._matrix([r[:n] for r in rows])
            x = self._matrix([r[n : 2 * n] for r in rows])
            if w.expr == x.expr:  # Σ p·p (an L2 penalty): one gather, one scatter of both edges
                fwd += [f"W{k} = {w.expr}", f"a{k} = (W{k} * W{k}).sum(1)"]
                parts = [(w, f"2.0 * W{k} * uc")]
            else:
                fwd += [f"W{k} = {w.expr}", f"X{k} = {x.expr}", f"a{k} = (W{k} * X{k}).sum(1)"]
                parts = [(w, f"X{k} * uc"), (x, f"W{k} * uc")]
            if g.op == "linear":
                b = self._vector([r[-1] for r in rows])
                fwd.append(f"a{k} += {b.expr}")
                parts.append((b, "u"))
        fwd.append(f"V[{s}:{e}] = a{k}")
        scatters = [a.scatter(c) for a, c in parts if a.scatter]
        if not (g.needs_grad and scatters):
            return fwd, []
        return fwd, bwd + scatters

    def _matmul_code(self, g: _Group) -> tuple[list[str], list[str]]:
        k = self._name("k", None)
        S, U, n = g.shape
        x = self._matrix(g.samples)
        w = self._matrix([unit[0] for unit in g.units])
        b = self._vector([unit[1] for unit in g.units])
        s, e = g.start, g.start + g.size
        fwd = [
            f"# level {g.level}: linear × {g.size} as a layer, {S}×{n} @ {n}×{U}",
            f"X{k} = {x.expr}",
            f"W{k} = {w.expr}",
            f"A{k} = V[{s}:{e}].reshape({S}, {U})",
            f"np.matmul(X{k}, W{k}.T, out=A{k})",
            f"A{k} += {b.expr}",
        ]
        bwd = [f"# level {g.level}: linear × {g.size} as a layer", f"up = D[{s}:{e}].reshape({S}, {U})"]
        scatters = []
        if x.scatter:
            scatters.append(x.scatter(f"up @ W{k}"))
        if w.scatter:
            scatters.append(w.scatter(f"up.T @ X{k}"))
        if b.scatter:
            scatters.append(b.scatter("up.sum(0)"))
        if not (g.needs_grad and scatters):
            return fwd, []
        return fwd, bwd + scatters

    def _float_code(self, g: _Group) -> tuple[list[str], list[str]]:
        op = ops.OPS[g.op]
        rule = self._name("R", op.rule)
        params = "".join(f", {self._literal(x)}" for x in g.params)
        fwd = [f"# level {g.level}: {op.display(g.params)} × {g.size} on floats"]
        bwd: list[str] = []
        kind = self.kind
        for i in g.members:
            parents = self.parents_of(i)
            args = []
            for j in parents:
                if j in self.float_nodes:
                    args.append(f"f{j}")
                elif kind[j] == "const":
                    args.append(self._literal(self.order[j].data))
                else:
                    args.append(f"V.item({self.slot[j]})")
            fwd.append(f"f{i}, l{i} = {rule}({', '.join(args)}{params})")
            if i in self.shared:
                fwd.append(f"V[{self.slot[i]}] = f{i}")
            if not self.needs[i]:
                continue
            lines, g_i = [], f"g{i}"
            if i in self.shared:
                lines, g_i = [f"g = g{i} + D.item({self.slot[i]})"], "g"
            for p, j in enumerate(parents):
                if not self.needs[j]:
                    continue
                if j in self.float_nodes:
                    lines.append(f"g{j} += l{i}[{p}] * {g_i}")
                else:
                    lines.append(f"D[{self.slot[j]}] += l{i}[{p}] * {g_i}")
            if any("+=" in line for line in lines):
                bwd += lines
        if bwd:
            bwd.insert(0, f"# level {g.level}: {op.display(g.params)} × {g.size} on floats")
        return fwd, bwd


def _group_order(item: tuple[tuple[Any, ...], list[int]]) -> tuple[int, int]:
    (level, *_), members = item
    return level, members[0]

"""`Module`: what every network piece shares — parameters, zeroing, saving as JSON, a notebook summary."""

from __future__ import annotations

import html
import json
import math
import numbers
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from autograd import Value

FORMAT = "chainrule.nn"
VERSION = 1

M = TypeVar("M", bound="Module")


class Module:
    """A piece of a network that owns parameters and may contain other modules.

    Subclasses say what they own (:meth:`own_parameters`), what they contain
    (:meth:`children`) and how they are built (:meth:`config`); the rest is here:
    parameters, zeroing, saving and loading (checked, all or nothing), ``repr`` and, in a
    notebook, a summary table (:meth:`summary`, shown by ``_repr_html_``).
    """

    def own_parameters(self) -> list[tuple[str, Value]]:
        """This module's own parameters, named, not those of its children."""
        return []

    def children(self) -> list[tuple[str, Module]]:
        """The modules inside this one, named."""
        return []

    def config(self) -> dict[str, Any]:
        """The constructor arguments that fix the architecture (not the weights)."""
        return {}

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter once, in a fixed order, with a dotted name such as ``layers.0.neurons.3.w.1``."""
        seen: set[int] = set()
        named = []
        for name, p in self._walk(""):
            if id(p) not in seen:  # a parameter shared between modules counts once
                seen.add(id(p))
                named.append((name, p))
        return named

    def _walk(self, prefix: str) -> Iterator[tuple[str, Value]]:
        for name, p in self.own_parameters():
            yield prefix + name, p
        for name, child in self.children():
            yield from child._walk(f"{prefix}{name}.")

    def parameters(self) -> list[Value]:
        """Every parameter once, in a fixed order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """The parameter values by name."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set the parameters from :meth:`state_dict` output, all or none.

        Everything is checked before anything is set: after an error the module is unchanged.

        Raises:
            ValueError: if ``state`` is not a mapping, names are missing or unexpected, or a
                value is not a real number (bools are refused) or is not finite (NaN, ±inf).
                The message names the parameter.
        """
        for p, value in self._checked_state(state):
            p.data = value

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the architecture and parameters as JSON (never pickle).

        Raises:
            ValueError: if a parameter is not finite (JSON has no NaN or infinity, and
                :meth:`load` refuses them); nothing is written then.
        """
        state = self.state_dict()
        for name, value in state.items():
            if not math.isfinite(value):
                raise ValueError(f"cannot save: parameter {name!r} is {value!r}; weights must be finite")
        document = {
            "format": FORMAT,
            "version": VERSION,
            "architecture": self._architecture(),
            "parameters": state,
        }
        Path(path).write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")

    def load(self: M, path: str | os.PathLike[str]) -> M:
        """Read parameters saved by :meth:`save` into this module; returns ``self``.

        The whole file is checked before any parameter is set, so after an error the module is
        exactly as it was.

        Raises:
            ValueError: if the file's *contents* are wrong: empty, not UTF-8, not JSON (or
                truncated), nested too deeply, not a saved module, another version, a different
                architecture, missing, unexpected or duplicate keys, or a parameter that is not
                a finite number. The message starts with the path and names the key or problem.
            OSError: if the file cannot be *read* (``FileNotFoundError``, ``IsADirectoryError``,
                ``PermissionError``), exactly as ``open()`` raises it; the module is unchanged.
        """
        try:
            updates = self._checked_state(self._checked_document(_read_json(path)), "parameters")
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
        except RecursionError:  # a deep but parseable structure (say in "architecture")
            raise ValueError(f"{path}: nested too deeply to be a saved module") from None
        for p, value in updates:
            p.data = value
        return self

    def _checked_document(self, document: object) -> object:
        """Check everything but the parameter values; return the ``parameters`` entry."""
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            what = "is not" if isinstance(document, dict) else f"holds {_kind(document)}, not"
            raise ValueError(f"the file {what} a saved chainrule module (no format {FORMAT!r})")
        keys = {"format", "version", "architecture", "parameters"}
        missing = [k for k in sorted(keys) if k not in document]
        unexpected = [k for k in document if k not in keys]
        if missing or unexpected:
            problems = [f"missing key {_few([repr(k) for k in missing])}"] if missing else []
            problems += [f"unexpected key {_few([_short(k) for k in unexpected])}"] if unexpected else []
            raise ValueError("; ".join(problems))
        version = document["version"]
        if type(version) is not int or version != VERSION:
            raise ValueError(f"the file is version {_short(version)}; this chainrule reads version {VERSION}")
        theirs, ours = document["architecture"], self._architecture()
        if not isinstance(theirs, dict):
            raise ValueError(f"architecture must be an object, got {_kind(theirs)}")
        differences = [
            f"{_name(key)}: file has {_shown(theirs, key)}, model has {_shown(ours, key)}"
            for key in sorted(set(theirs) | set(ours), key=str)
            if _canonical(theirs, key) != _canonical(ours, key)
        ]
        if differences:
            raise ValueError(f"the file holds a different architecture ({'; '.join(differences)})")
        return document["parameters"]

    def _checked_state(self, state: object, what: str = "state") -> list[tuple[Value, float]]:
        """Every parameter with its new value, after checking all of them; raises ValueError."""
        if not isinstance(state, Mapping):
            raise ValueError(f"{what} must be a mapping of parameter names to numbers, got {_kind(state)}")
        named = self.named_parameters()
        names = {name for name, _ in named}
        missing = [name for name, _ in named if name not in state]
        unexpected = [_name(name) for name in state if name not in names]
        if missing or unexpected:
            problems = [f"missing {_few(missing)}"] if missing else []
            problems += [f"unexpected {_few(unexpected)}"] if unexpected else []
            raise ValueError("parameters differ: " + "; ".join(problems))
        return [(p, _finite(name, state[name])) for name, p in named]

    def _architecture(self) -> dict[str, Any]:
        return {"class": type(self).__name__, **self.config()}

    def shape(self) -> tuple[int, int] | None:
        """``(inputs, outputs)`` for a module that maps a fixed number of numbers to another, else None."""
        return None

    def summary(self) -> list[SummaryRow]:
        """One row per part, for the notebook table: the children, or the module itself if it has none.

        A subclass whose children are not worth a row each (a layer's neurons) returns one row.
        """
        parts = self.children()
        if not parts:
            return [self.summary_row("")]
        rows = [child.summary_row(name) for name, child in parts]
        own = self.own_parameters()
        if own:
            rows.insert(0, SummaryRow("(own)", type(self).__name__, "", "", len(own)))
        return rows

    def summary_row(self, name: str) -> SummaryRow:
        """This module as one row of its parent's :meth:`summary`."""
        shape = self.shape()
        return SummaryRow(
            name=name,
            kind=type(self).__name__,
            shape="" if shape is None else f"{shape[0]} → {shape[1]}",
            activation=str(self.config().get("activation", "")),
            parameters=len(self.parameters()),
        )

    def _repr_html_(self) -> str:
        """The summary as an HTML table, for Jupyter: part, type, shape, activation, parameters, total."""
        cells = "".join
        header = cells(f"<th>{h}</th>" for h in ("part", "type", "shape", "activation", "parameters"))
        body = [
            "<tr>"
            + cells(f"<td>{html.escape(text)}</td>" for text in (row.name, row.kind, row.shape, row.activation))
            + f'<td style="text-align: right">{row.parameters:,}</td></tr>'
            for row in self.summary()
        ]
        total = len(self.parameters())
        return "\n".join(
            [
                '<table class="chainrule-module">',
                f"<caption>{html.escape(self._head())}</caption>",
                f"<thead><tr>{header}</tr></thead>",
                "<tbody>",
                *body,
                "</tbody>",
                f'<tfoot><tr><th colspan="4">total parameters</th><th style="text-align: right">{total:,}</th></tr>'
                "</tfoot>",
                "</table>",
            ]
        )

    def _head(self) -> str:
        return type(self).__name__ + "(" + ", ".join(f"{k}={v!r}" for k, v in self.config().items()) + ")"

    def __repr__(self) -> str:
        head = self._head()
        inside = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self.children()]
        return "\n".join([head + " [", *inside, "]"]) if inside else head


class SummaryRow(NamedTuple):
    """One row of a module's notebook summary (see :meth:`Module.summary`)."""

    name: str
    kind: str
    shape: str
    activation: str
    parameters: int


def _read_json(path: str | os.PathLike[str]) -> object:
    """Parse a file as JSON; a bad *content* is a ValueError, an unreadable file the OSError of open()."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise ValueError("the file is empty")
    try:
        text = data.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start} is {data[error.start]:#04x})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise ValueError("nested too deeply to be a saved module") from None
    except json.JSONDecodeError as error:
        at_end = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        ending = "; is the file truncated?" if at_end else ""
        raise ValueError(f"not JSON ({error.msg} at line {error.lineno} column {error.colno}{ending})") from None
    except ValueError as error:  # a duplicate key, or an integer of more than 4300 digits
        raise ValueError(f"not a valid saved module: {error}") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a repeated key (which json would silently take the last of)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {_short(key)}")
            seen.add(key)
    return document


def _finite(name: str, value: object) -> float:
    """``value`` as a finite float, or a ValueError naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"parameter {name!r} must be a number, got {_kind(value)}")
    try:
        x = float(value)
    except OverflowError:
        raise ValueError(f"parameter {name!r} is too large for a float (beyond ±1.8e308)") from None
    if not math.isfinite(x):
        raise ValueError(f"parameter {name!r} is {x!r}; weights must be finite numbers")
    return x


def _kind(value: object) -> str:
    """What a value is, in JSON's words where it is a JSON value."""
    json_kinds = {bool: "a boolean", str: "a string", list: "a list", dict: "an object", float: "a number"}
    if value is None:
        return "None (null)"
    return json_kinds.get(type(value), "an int" if type(value) is int else type(value).__name__)


def _canonical(mapping: dict[str, Any], key: str) -> str | None:
    """The entry as canonical JSON (so True and 1, or 2 and 2.0, differ; tuples equal lists)."""
    return json.dumps(mapping[key], sort_keys=True) if key in mapping else None


def _shown(mapping: dict[str, Any], key: str) -> str:
    return _short(mapping[key]) if key in mapping else "nothing"


def _short(value: object, most: int = 60) -> str:
    """``repr(value)``, cut short: a hostile file can hold a key of a million characters."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 3] + "..."


def _name(key: object) -> str:
    """A key as plain text when it is a short printable string, else as a short repr."""
    if isinstance(key, str) and key.isprintable() and 0 < len(key) <= 60:
        return key
    return _short(key)


def _few(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")

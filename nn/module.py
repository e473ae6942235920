"""`Module`: what every network piece shares — parameters, zeroing, saving as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograd import Value

FORMAT = "chainrule.nn"
VERSION = 1


class Module:
    """A piece of a network that owns parameters and may contain other modules.

    Subclasses say what they own (:meth:`own_parameters`), what they contain
    (:meth:`children`) and how they are built (:meth:`config`); the rest is here.
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

    def load_state_dict(self, state: dict[str, float]) -> None:
        """Set the parameters from :meth:`state_dict` output.

        Raises:
            ValueError: if names are missing or unexpected, or a value is not a number.
        """
        named = dict(self.named_parameters())
        missing = [n for n in named if n not in state]
        unexpected = [n for n in state if n not in named]
        if missing or unexpected:
            problems = [f"missing {_few(missing)}"] if missing else []
            problems += [f"unexpected {_few(unexpected)}"] if unexpected else []
            raise ValueError("parameters differ: " + "; ".join(problems))
        for name, p in named.items():
            value = state[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"parameter {name!r} must be a number, got {type(value).__name__}")
            p.data = float(value)

    def save(self, path: str | Path) -> None:
        """Write the architecture and parameters as JSON (never pickle)."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "architecture": self._architecture(),
            "parameters": self.state_dict(),
        }
        Path(path).write_text(json.dumps(document, indent=1) + "\n")

    def load(self, path: str | Path) -> Module:
        """Read parameters saved by :meth:`save` into this module; returns ``self``.

        Raises:
            ValueError: if the file is not a saved module, or its architecture or
                parameter names differ from this module's (the message says what differs).
        """
        try:
            document = json.loads(Path(path).read_text())
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not JSON: {error}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"{path} is not a saved chainrule module (no format {FORMAT!r})")
        theirs, ours = document.get("architecture", {}), self._architecture()
        if theirs != ours:
            differences = [
                f"{key}: file has {theirs.get(key)!r}, model has {ours.get(key)!r}"
                for key in sorted(set(theirs) | set(ours))
                if theirs.get(key) != ours.get(key)
            ]
            raise ValueError(f"{path} holds a different architecture ({'; '.join(differences)})")
        self.load_state_dict(document.get("parameters", {}))
        return self

    def _architecture(self) -> dict[str, Any]:
        return {"class": type(self).__name__, **self.config()}

    def __repr__(self) -> str:
        head = type(self).__name__ + "(" + ", ".join(f"{k}={v!r}" for k, v in self.config().items()) + ")"
        inside = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self.children()]
        return "\n".join([head + " [", *inside, "]"]) if inside else head


def _few(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")

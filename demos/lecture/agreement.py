"""Putting a formula from the notes beside the number that came out of the graph."""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCE = 1e-12


@dataclass(frozen=True)
class Agreement:
    """The notes' formula, worked by hand from forward values, against the graph's value."""

    what: str
    notes: float
    graph: float
    tolerance: float = TOLERANCE

    @property
    def holds(self) -> bool:
        return abs(self.notes - self.graph) <= self.tolerance * max(1.0, abs(self.notes))

    def line(self) -> str:
        mark = "agrees" if self.holds else "DISAGREES"
        return f"  {self.what:<44s} notes {self.notes:+.12f}   graph {self.graph:+.12f}   {mark}"


@dataclass(frozen=True)
class Claim:
    """A plain statement the demo checks (a loss went down, a slide's formula is off)."""

    what: str
    holds: bool

    def line(self) -> str:
        return f"  {self.what:<44s} {'yes' if self.holds else 'NO'}"


Result = Agreement | Claim


class Report:
    """Collects agreements and claims, printing each as it is made."""

    def __init__(self, show=print, doc: str = "") -> None:
        self.show = show
        self.results: list[Result] = []
        if doc:  # a demo's docstring: its first paragraph is the heading
            self.show(doc.split("\n\n")[0] + "\n")

    def say(self, text: str = "") -> None:
        self.show(text)

    def agree(self, what: str, notes: float, graph: float, tolerance: float = TOLERANCE) -> None:
        self._add(Agreement(what, notes, graph, tolerance))

    def claim(self, what: str, holds: bool) -> None:
        self._add(Claim(what, holds))

    def _add(self, result: Result) -> None:
        self.results.append(result)
        self.show(result.line())

    def summary(self) -> list[Result]:
        bad = [r for r in self.results if not r.holds]
        self.show(f"\n{len(self.results) - len(bad)} of {len(self.results)} checks hold.")
        return self.results

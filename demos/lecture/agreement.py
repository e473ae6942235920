"""Putting a formula from the notes beside the number that came out of the graph.

Three kinds of result, each printed as it is made and each able to fail:

- an :class:`Agreement`: the notes' formula, worked by hand from forward values, against the
  graph's number;
- a :class:`Slip`: a slide's formula *and* its correction, both worked by hand, against the
  graph's number; it holds when the correction agrees and the slide agrees only where it
  should (a slip can be right by accident, as the softmax slide is for i = ℓ);
- a :class:`Claim`: a plain statement (a loss went down, every sample was seen once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autograd.numbers import format_number

TOLERANCE = 1e-12
DIGITS = 13  # enough significant digits to see an agreement to 1e-12


FLOOR = 1e-15  # below this, two numbers count as equal whatever their size (both ~0)


def close(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    """``a`` and ``b`` agree to ``tolerance`` relative to the larger of them.

    Relative, so that a tiny gradient (−3.8e-09 at the bottom of a deep thin network) is
    checked to 12 digits as well and not waved through by an absolute 1e-12.
    """
    return abs(a - b) <= max(tolerance * max(abs(a), abs(b)), FLOOR)


def number(x: float) -> str:
    """A number as the checks show it: signed, 13 significant digits."""
    text = format_number(x, DIGITS)
    return text if text.startswith("-") else "+" + text


@dataclass(frozen=True)
class Agreement:
    """The notes' formula, worked by hand from forward values, against the graph's value."""

    what: str
    notes: float
    graph: float
    tolerance: float = TOLERANCE
    source: str = "graph"  # where the right-hand number came from: the graph, or an optimiser

    @property
    def holds(self) -> bool:
        return close(self.notes, self.graph, self.tolerance)

    def line(self) -> str:
        mark = "agrees" if self.holds else "DISAGREES"
        return f"  {self.what:<46s} notes {number(self.notes):>20s}   {self.source} {number(self.graph):>20s}   {mark}"


@dataclass(frozen=True)
class Slip:
    """A slide's formula and its correction, both worked by hand, against the graph's value.

    Attributes:
        what: the quantity, e.g. ``(a) ∂C/∂W2[0,1]``; the letter names the slip.
        slide: the slide's formula, worked by hand.
        corrected: the corrected formula, worked by hand.
        graph: the graph's value of the same quantity.
        slide_should_agree: true where the slip happens to give the right number.
    """

    what: str
    slide: float
    corrected: float
    graph: float
    slide_should_agree: bool = False
    tolerance: float = TOLERANCE

    @property
    def slide_agrees(self) -> bool:
        return close(self.slide, self.graph, self.tolerance)

    @property
    def corrected_agrees(self) -> bool:
        return close(self.corrected, self.graph, self.tolerance)

    @property
    def holds(self) -> bool:
        return self.corrected_agrees and self.slide_agrees == self.slide_should_agree

    def verdict(self) -> str:
        if not self.holds:
            return (
                f"UNEXPECTED: corrected {'agrees' if self.corrected_agrees else 'disagrees'}, "
                f"slide {'agrees' if self.slide_agrees else 'disagrees'}"
            )
        if self.slide_agrees:
            return "both agree here"
        return "corrected agrees, slide off"

    def line(self) -> str:
        return (
            f"  {self.what:<22s} {number(self.slide):>20s} {number(self.corrected):>20s} "
            f"{number(self.graph):>20s}   {self.verdict()}"
        )


SLIP_HEADER = f"  {'':<22s} {'slide':>20s} {'corrected':>20s} {'graph':>20s}"


@dataclass(frozen=True)
class Claim:
    """A plain statement the demo checks (a loss went down, every sample was seen once)."""

    what: str
    holds: bool

    def line(self) -> str:
        return f"  {self.what:<46s} {'yes' if self.holds else 'NO'}"


Result = Agreement | Slip | Claim


class Report:
    """Collects agreements, slips and claims, printing each as it is made."""

    def __init__(self, show: Callable[[str], object] = print, doc: str = "") -> None:
        self.show = show
        self.results: list[Result] = []
        if doc:  # a demo's docstring: its first paragraph is the heading
            self.show(doc.split("\n\n")[0] + "\n")

    def say(self, text: str = "") -> None:
        self.show(text)

    def agree(self, what: str, notes: float, graph: float, tolerance: float = TOLERANCE, source: str = "graph") -> None:
        self._add(Agreement(what, notes, graph, tolerance, source))

    def formulas(self, slide: str, corrected: str) -> None:
        """Print a slip's two formulas, then the header of its table of numbers."""
        self.show(f"  slide:     {slide}")
        self.show(f"  corrected: {corrected}")
        self.show(SLIP_HEADER)

    def slip(self, what: str, slide: float, corrected: float, graph: float, slide_should_agree: bool = False) -> None:
        self._add(Slip(what, slide, corrected, graph, slide_should_agree))

    def claim(self, what: str, holds: bool) -> None:
        self._add(Claim(what, holds))

    def _add(self, result: Result) -> None:
        self.results.append(result)
        self.show(result.line())

    def summary(self) -> list[Result]:
        bad = [r for r in self.results if not r.holds]
        self.show(f"\n{len(self.results) - len(bad)} of {len(self.results)} checks hold.")
        return self.results

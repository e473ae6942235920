"""Step through backprop in the terminal, one chain-rule application at a time.

    python -m demos.step "tanh(a*b + c)" a=2 b=-3 c=10          # Enter for each step
    python -m demos.step "(y - t)**2" y=0.3 t=1 --quiz           # you type each contribution
    python -m demos.step "-log(p)" p=0.5 --auto                  # straight through
    python -m demos.step --model                                 # a tiny MLP on one sample
    python -m demos.step "tanh(a*b + c)" a=2 b=-3 c=10 --html backprop.html [--quiz]

It prints the forward values, then each step: which node, the chain-rule product with
numbers, and the running gradient of the parent. With a standard input that is not a
terminal (a pipe, a file, or none at all) it runs straight through, as with ``--auto``.

With ``--quiz`` it asks before revealing each step: type the contribution
local × upstream (a number, or a product such as ``-3 * 0.25``; 3 significant digits are
enough, and so is an answer worked from the rounded numbers printed, as far as their
rounding allows), or the parent's new gradient; Enter alone shows the answer. A wrong
answer gets one more try. It keeps score.
Answers are read one line each from standard input, so they may come from a pipe or a
file; when the input runs out, the remaining steps are shown. With no standard input at
all (closed), --quiz asks nothing and shows every step.

--html writes the player page instead; it steps through graphs of up to 500 nodes
(the terminal stepper takes any size).

Exit status: 0 done, 1 the page could not be written, 2 bad arguments or expression.

An expression may start with a minus (``"-log(p)"``); so may anything after ``--``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable

import nn
from autograd import Value, backward_steps, constant, format_number
from autograd.cli import EXAMPLES, expressions_as_operands
from autograd.expression import ExpressionError, build, parse_bindings
from autograd.narrate import (
    MAX_DIGITS,
    AnswerError,
    Namer,
    StepText,
    describe,
    earlier_passes_note,
    marking,
    read_answer,
    require_value,
    symbol,
    value_of,
)
from autograd.numbers import DIGITS

MIN_DIGITS = 2  # the quiz accepts answers right to one digit fewer than shown
MAX_LINE = 4096  # characters of an answer line kept; anything longer is refused as too long anyway


def tiny_model_loss() -> Value:
    """½ (ŷ − y)² for an MLP 2-2-1 with tanh units on the sample x = (1, −0.5), y = 0.5."""
    model = nn.MLP(2, [2, 1], activation="tanh", seed=0)
    [y_hat] = model([1.0, -0.5])
    error = y_hat + constant(-0.5, label="-y")
    squared = error**2
    loss = constant(0.5, label="½") * squared
    error.label, squared.label, loss.label = "ŷ - y", "(ŷ - y)²", "L"
    return loss


def count_steps(name: Namer) -> int:
    """How many chain-rule steps the backward pass takes: one per edge into a non-constant."""
    return sum(1 for node in name.order for parent in node.parents if parent.requires_grad)


class Score:
    """A quiz's running score."""

    def __init__(self) -> None:
        self.right = 0
        self.asked = 0

    def __str__(self) -> str:
        return f"score {self.right}/{self.asked}"


def read_line(prompt: str) -> str:
    """One answer line from standard input, without its newline (``input``, made robust).

    Raises EOFError when the input has ended or there is none (standard input closed).
    A line longer than :data:`MAX_LINE` is cut there (the rest of it is read and dropped),
    and bytes that are not UTF-8 come back as U+FFFD, so the answer is refused as not a
    number instead of crashing the stepper.
    """
    stdin = sys.stdin
    if stdin is None:
        raise EOFError
    print(prompt, end="", flush=True)
    try:
        line = stdin.readline(MAX_LINE)
        if not line:
            raise EOFError
        rest = line
        while not rest.endswith("\n"):  # drop the rest of an over-long line
            rest = stdin.readline(MAX_LINE)
            if not rest:
                break
    except UnicodeDecodeError:
        return "\ufffd"
    return line.rstrip("\r\n")


def quiz_step(
    told: StepText,
    ask: Callable[[str], str],
    out: Callable[[str], object],
    score: Score,
    digits: int,
    name: Namer | None = None,
) -> bool:
    """Ask for one step's contribution (two tries); return False when the learner has left (end of input)."""
    step = told.step
    name = name or Namer(value_of(step.node))
    marks = marking(step, told, name, digits, digits)
    out(f"  {told.question()} ?")
    if marks.more:
        out(f"  (to more digits than printed: {marks.more})")
    tried = False
    while True:
        try:
            text = ask("  your answer> ")
        except EOFError:
            out("")
            return False
        if not text.strip():
            score.asked += 1
            out(f"  shown: {told.explain()}")
            break
        try:
            answer = read_answer(text)
        except AnswerError as error:
            out(f"  {error}: type a number, or a product such as -3 * 0.25 (Enter alone shows the answer)")
            continue
        kind, slip = marks.mark(answer, step.contribution, step.after, digits)
        right = "✓ right" + (" on the second try" if tried else "")
        rounded = f", as near as the rounded numbers allow (to more digits, {told.contribution})"
        if kind == "wrong" and not tried:
            tried = True
            out(f"  ✗ not yet{': ' + slip if slip else ''}. One more try (Enter alone shows it).")
            continue
        score.asked += 1
        if kind in ("right", "rounded"):
            score.right += 1
            out(f"  {right}{rounded if kind == 'rounded' else ''}: {told.explain()}")
        elif kind in ("after", "after rounded"):
            score.right += 1
            out(
                f"  {right}, that is the new {told.parent_symbol}{rounded if kind != 'after' else ''}: {told.explain()}"
            )
        else:
            why = f"; {slip}" if slip else ""
            out(f"  ✗ not quite ({text.strip()}{why}). The contribution is {told.explain()}")
        break
    out(f"  {score}")
    return True


def step_through(
    root: Value,
    wait: Callable[[], None],
    out: Callable[[str], object] = print,
    ask: Callable[[str], str] | None = None,
    digits: int = DIGITS,
) -> int:
    """Print the forward values, then every backward step; return the number of steps.

    Args:
        root: the output node.
        wait: called before each step (to wait for Enter).
        out: prints a line.
        ask: in quiz mode, reads the learner's answer for each step (``input``); ``None``
            reveals every step.
        digits: significant digits for the numbers shown.

    Raises:
        TypeError: ``root`` is not a Value.
    """
    name = Namer(require_value(root, "step_through()"), digits)
    intro = name.introduce()
    out((f"{intro}\n\n" if intro else "") + "Forward pass:")
    width = min(24, max(len(name(node)) for node in name.order))
    for node in name.order:
        shown, value = name(node), format_number(node.data, digits)
        if not node.requires_grad:
            out(f"  {shown:>{width}s}   (a constant: no gradient flows into it)")
            continue
        how = f"   ({name.how(node)})" if node.parents else ""
        out(f"  {shown:>{width}s} = {value}{how}")
    note = earlier_passes_note(root, name)
    if note:
        out(f"\nNote: {note}.")
    total = count_steps(name)
    root_name = name.output()
    out(f"\nBackward pass: seed ∂{root_name}/∂{root_name} = 1, then one edge at a time, outputs first.")
    if ask is not None:
        out(
            "Quiz: type each contribution local × upstream (or the parent's new gradient); Enter alone shows it."
            "\nAn answer worked from the rounded numbers printed counts, and a wrong one gets one more try."
        )
    score = Score()
    count = 0
    for count, step in enumerate(backward_steps(root), start=1):
        told = describe(step, name)
        if ask is None:
            wait()
        node = value_of(step.node)
        where = f"at {name(node)} ({name.how(node)})"
        out(f"\nstep {count} of {total}: {where}, upstream {told.upstream_symbol} = {told.upstream}")
        if ask is not None and not quiz_step(told, ask, out, score, digits, name):
            ask = None  # end of input: show the rest
            out("  (no more answers: showing the remaining steps)")
        out("  " + told.equation())
        out("  " + told.total())
    out("\nDone. Final gradients of the leaves:")
    for node in name.order:
        if not node.parents and node.requires_grad:
            out(f"  ∂{root_name}/∂{symbol(name(node))} = {format_number(node.grad, digits)}")
    if score.asked:
        out(f"\nQuiz {score}.")
    return count


def digits_option(text: str) -> int:
    """``--digits``: a whole number from 2 to 17 (17 digits round-trip any float)."""
    try:
        digits = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"must be from {MIN_DIGITS} to {MAX_DIGITS}, got {digits}")
    return digits


def _not_text(words: list[str]) -> str | None:
    """The first word that is not valid Unicode (bytes that were not UTF-8 on the command line)."""
    for word in words:
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            return word
    return None


def _lenient_stdin() -> None:
    """Read standard input with bytes that are not UTF-8 replaced, rather than raising."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        try:
            sys.stdin.reconfigure(errors="replace")
        except (ValueError, OSError):  # already read from, or closed: read_line copes
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.step",
        description=__doc__,
        epilog="examples:\n" + "\n".join(f"  python -m demos.step {e:<52} # {why}" for e, why in EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("expression", nargs="?", help='e.g. "tanh(a*b + c)"')
    parser.add_argument("bindings", nargs="*", metavar="name=number")
    parser.add_argument("--model", action="store_true", help="step through a tiny MLP's loss instead")
    parser.add_argument("--auto", action="store_true", help="do not wait for Enter")
    parser.add_argument(
        "--quiz",
        action="store_true",
        help="type each step's contribution before it is shown (answers are read from standard input, "
        "one per line; with standard input closed, every step is shown without asking)",
    )
    parser.add_argument(
        "--digits",
        type=digits_option,
        default=DIGITS,
        help=f"significant digits shown, {MIN_DIGITS} to {MAX_DIGITS} (default {DIGITS})",
    )
    parser.add_argument(
        "--html", metavar="FILE", help="write the self-contained HTML player instead (graphs of up to 500 nodes)"
    )
    args = parser.parse_args(expressions_as_operands(sys.argv[1:] if argv is None else argv, parser))
    if args.html is not None and not args.html.strip():
        parser.error("--html needs a file name")
    bad = _not_text([args.expression or "", *args.bindings])
    if bad is not None:
        parser.error(f"{bad.encode('utf-8', 'replace').decode('utf-8')!r} is not valid text (UTF-8)")
    try:
        if args.model:
            if args.expression or args.bindings:
                parser.error("--model steps through its own network: leave out the expression and bindings")
            root = tiny_model_loss()
        elif args.expression:
            root, _ = build(args.expression, parse_bindings(args.bindings))
        else:
            parser.error("give an expression with its bindings, or --model")
    except ExpressionError as error:
        print(f"demos.step: {error}", file=sys.stderr)
        return 2
    if args.html:
        return write_html(root, args.html, quiz=args.quiz, digits=args.digits)
    ask: Callable[[str], str] | None = read_line if args.quiz else None
    if ask is not None and sys.stdin is None:
        print("demos.step: standard input is closed, so --quiz shows every step without asking", file=sys.stderr)
        ask = None
    if ask is not None:
        _lenient_stdin()
    interactive = not args.auto and sys.stdin is not None and sys.stdin.isatty()

    def wait() -> None:
        nonlocal interactive
        if interactive:
            try:
                input("[Enter] ")
            except EOFError:  # Ctrl-D: run the rest straight through
                interactive = False
                print()

    step_through(root, wait, ask=ask, digits=args.digits)
    return 0


def write_html(root: Value, path: str, *, quiz: bool, digits: int) -> int:
    """``--html``: write the player page; one line on stderr (and status 1 or 2) if that fails."""
    from autograd.dot import GraphTooLargeError
    from autograd.player import MAX_NODES, MAX_STEPS, write_player
    from autograd.renderer import RendererNotFoundError, RenderError

    name = Namer(root)
    nodes, steps = len(name.order), count_steps(name)
    too_big = (
        f"the graph has {nodes} nodes, more than the player's limit of {MAX_NODES}"
        if nodes > MAX_NODES
        else f"the backward pass has {steps} chain-rule steps, more than the player's limit of {MAX_STEPS}"
        if steps > MAX_STEPS
        else ""
    )
    if too_big:
        print(f"demos.step: {too_big}; leave out --html to step through it in the terminal", file=sys.stderr)
        return 2
    try:
        written = write_player(root, path, quiz=quiz, digits=digits)
    except GraphTooLargeError as error:
        print(f"demos.step: {error}; leave out --html to step through it in the terminal", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"demos.step: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    except (RenderError, RendererNotFoundError) as error:
        print(f"demos.step: cannot draw the graph: {error}", file=sys.stderr)
        return 1
    print(f"wrote {written} (open it in a browser)")
    return 0


def run() -> int:
    """The command line: :func:`main`, plus a quiet end on Ctrl-C or a closed output pipe."""
    try:
        return main()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(run())

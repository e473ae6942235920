"""Quiz mode: the learner types each contribution before it is revealed, in the terminal and the player."""

import sys
from pathlib import Path

import pytest

from autograd.expression import build
from autograd.narrate import AnswerError, is_right, read_answer
from autograd.player import Player

ROOT = Path(__file__).resolve().parent.parent
README = ("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})


def test_answers_are_numbers_or_simple_arithmetic_never_evaluated():
    assert read_answer("-0.004023") == -0.004023
    assert read_answer(" -3 × 0.001341 ") == pytest.approx(-0.004023)
    assert read_answer("2·0.5") == 1.0
    assert read_answer("−1.5e-3") == -0.0015
    assert read_answer("(1 - 0.25) / 3") == 0.25
    # powers, for tanh's 1 - L²: ^, ** and ², exponents up to 10, -2^2 = -(2^2) as in maths
    assert read_answer("1 - 0.9993^2") == read_answer("1 - 0.9993**2") == read_answer("1 − 0.9993²")
    assert read_answer("1 - 0.9993^2") == pytest.approx(1 - 0.9993**2)
    assert read_answer("-2^2") == -4.0 and read_answer("2**-1") == 0.5
    for bad in ("", "abc", "__import__('os')", "2 ** 3 ** 99", "1/0", "[1]", "2^11", "(-8)**0.5", "0**-1"):
        with pytest.raises(AnswerError):
            read_answer(bad)


def test_the_tolerance_suits_four_shown_digits():
    truth = -0.0040228
    assert is_right(-0.004023, truth) and is_right(-0.00402, truth) and is_right(-0.00403, truth)
    assert not is_right(-0.004, truth) and not is_right(0.004023, truth) and not is_right(-0.0041, truth)
    assert is_right(0.0, 0.0) and not is_right(1e-9, 0.0)
    assert is_right(8.245e-09, 8.2446e-09) and not is_right(0.0, 8.2446e-09)
    assert is_right(float("inf"), float("inf")) and not is_right(1e308, float("inf"))


def marks_of(expression, bindings, index=0):
    from autograd import backward_steps
    from autograd.narrate import Namer, describe, marking

    root = build(expression, dict(bindings))[0]
    name = Namer(root)
    step = list(backward_steps(root))[index]
    told = describe(step, name)
    marks = marking(step, told, name)

    def mark(answer):
        return marks.mark(answer, step.contribution, step.after)

    return marks, mark


def test_an_answer_worked_from_the_rounded_numbers_shown_counts():
    # The graph shows L = 0.9993; 1 - 0.9993² = 0.0014 was marked wrong (tolerance 1e-5 around 0.001341).
    marks, mark = marks_of(*README)
    assert mark(0.001341)[0] == "right" and mark(0.00134)[0] == "right"
    assert mark(1 - 0.9993**2)[0] == "rounded" and mark(0.0014)[0] == "rounded"
    assert mark(0.0012)[0] == "wrong" and mark(0.002)[0] == "wrong" and mark(0.01)[0] == "wrong"
    assert mark(-0.0014) == ("wrong", "the sign is flipped")  # a wrong sign stays wrong
    assert mark(-0.001341) == ("wrong", "the sign is flipped")
    assert mark(1.0)[1].startswith("that is the upstream ∂L/∂L alone")
    assert mark(0.002682)[1].startswith("twice the contribution")
    assert marks.more == "L = 0.99933"  # the hint gives L to as many digits as the answer needs
    # a step whose inputs are exact allows no more than 3 digits' slack
    marks, mark = marks_of(*README, index=3)  # ∂L/∂a += -3 × 0.001341
    assert marks.more == "" and mark(-0.00402)[0] == "right" and mark(-0.0041)[0] == "wrong"
    assert mark(-3.0)[1].startswith("that is the local derivative ∂(a*b)/∂a alone")
    assert mark(0.001341)[1].startswith("that is the upstream ∂L/∂(a*b) alone")


def test_rounding_that_swamps_the_number_allows_only_what_the_shown_numbers_give():
    # tanh(10) shows as 1: 1 - 1² = 0 is what the screen gives, and the truth 8.2e-9 is right;
    # 0.001 (anything up to the rounding of "1") is not.
    marks, mark = marks_of("tanh(5*x)", {"x": 2.0})
    assert mark(0.0)[0] == "rounded" and mark(8.245e-9)[0] == "right"
    assert mark(0.001)[0] == "wrong" and mark(-1e-9)[0] == "wrong"
    assert marks.more.startswith("L = 0.99999999")


def test_the_shared_slip_words_are_check_gradients_words():
    from autograd.check import check_gradients
    from autograd.narrate import SIGN_FLIPPED

    root = build(*README)[0]
    result = check_gradients(root, {"a*b": -0.001341})
    assert result.rows[0].how == SIGN_FLIPPED


def test_terminal_quiz_in_a_pseudo_terminal():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "demos.step", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "--quiz"],
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=60,
    )
    try:
        # the root's local derivative is written as tanh's, never as the gradient ∂L/∂(a*b + c)
        child.expect_exact("∂L/∂(a*b + c) += ∂tanh(a*b + c)/∂(a*b + c) · ∂L/∂L = ?")
        child.expect_exact("(to more digits than printed: L = 0.99933)")
        child.expect_exact("your answer> ")
        child.sendline("0.0014")  # 1 - 0.9993², from the printed L: counts
        child.expect_exact("✓ right, as near as the rounded numbers allow (to more digits, 0.001341)")
        child.expect_exact("score 1/1")
        child.expect_exact("your answer> ")
        child.sendline("1")  # wrong: forgot the upstream; one more try
        child.expect_exact(
            "✗ not yet: that is the local derivative ∂(a*b + c)/∂(a*b) alone: multiply it by the upstream ∂L/∂(a*b + c)"
        )
        child.expect_exact("your answer> ")
        child.sendline("-0.001341")  # wrong again: the sign
        child.expect_exact(
            "✗ not quite (-0.001341; the sign is flipped). The contribution is local × upstream = "
            "∂(a*b + c)/∂(a*b) · ∂L/∂(a*b + c)"
        )
        child.expect_exact("= 1 × 0.001341 = 0.001341")
        child.expect_exact("score 1/2")
        child.expect_exact("your answer> ")
        child.sendline("what")  # not a number: asked again, no score change
        child.expect_exact("type a number, or a product")
        child.expect_exact("your answer> ")
        child.sendline("1*0.001341")  # a product is fine
        child.expect_exact("✓ right")
        child.expect_exact("score 2/3")
        child.expect_exact("your answer> ")
        child.sendline("")  # Enter alone shows it
        child.expect_exact("shown: local × upstream = ∂(a*b)/∂a · ∂L/∂(a*b) = -3 × 0.001341 = -0.004023")
        child.expect_exact("score 2/4")
        child.expect_exact("your answer> ")
        child.sendline("5")
        child.expect_exact("✗ not yet. One more try")
        child.expect_exact("your answer> ")
        child.sendline("0.002682")  # right on the second try
        child.expect_exact("✓ right on the second try: local × upstream = ∂(a*b)/∂b")
        child.expect_exact("Quiz score 3/5.")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_terminal_quiz_ends_cleanly_when_input_runs_out():
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "demos.step", "(y - t)**2", "y=0.3", "t=1", "--quiz"],
        input="-1.4\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "✓ right" in result.stdout and "(no more answers: showing the remaining steps)" in result.stdout
    assert "Quiz score 1/1." in result.stdout and "∂L/∂t = 1.4" in result.stdout


# --- in the browser ---------------------------------------------------------------------------


def open_quiz(browser, tmp_path, name="quiz.html"):
    quiz = Player(build(*README)[0], quiz=True)
    path = quiz.save(tmp_path / name)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return quiz, page, errors


@pytest.mark.slow
def test_quiz_in_the_player_keyboard_only(browser, tmp_path):
    quiz, page, errors = open_quiz(browser, tmp_path)
    steps = quiz.data["steps"]
    assert page.inner_text(".cr-equation").startswith("Seed")
    assert not page.is_visible(".cr-play")
    assert page.eval_on_selector_all(".cr-viewport g.edge text", "ts => ts.length") == 0  # no locals given away

    page.keyboard.press("ArrowRight")
    assert page.inner_text(".cr-equation") == steps[0]["ask"] + " ?"
    assert page.inner_text(".cr-equation").startswith("∂L/∂(a*b + c) += ∂tanh(a*b + c)/∂(a*b + c) · ∂L/∂L")
    assert "to more digits, L = 0.99933" in page.inner_text(".cr-total")
    assert "rounded numbers on the graph counts" in page.inner_text(".cr-help")
    assert page.evaluate("document.activeElement.classList.contains('cr-answer')")
    texts = page.eval_on_selector_all(".cr-viewport text", "ts => ts.map(t => t.textContent)")
    assert "grad 0.001341" not in texts  # not revealed yet
    page.keyboard.type("1 - 0.9993**2")  # worked from the L the graph shows: was marked wrong
    page.keyboard.press("Enter")
    assert page.inner_text(".cr-verdict").startswith(
        "✓ Right, as near as the rounded numbers on the graph allow (to more digits, 0.001341)"
    )
    assert page.inner_text(".cr-equation") == steps[0]["eq"]
    assert page.inner_text(".cr-score") == "Score 1 / 1"
    texts = page.eval_on_selector_all(".cr-viewport text", "ts => ts.map(t => t.textContent)")
    assert "grad 0.001341" in texts

    page.keyboard.press("Enter")  # on to the next step
    assert page.inner_text(".cr-equation") == steps[1]["ask"] + " ?"
    page.keyboard.type("-3 * 0.5")
    page.keyboard.press("ArrowLeft")  # moves the caret while typing, not the player
    assert page.inner_text(".cr-counter") == "step 2 of 5"
    page.keyboard.press("Enter")
    assert page.inner_text(".cr-verdict").startswith("✗ Not yet")  # a second try, nothing revealed
    assert page.inner_text(".cr-equation") == steps[1]["ask"] + " ?"
    assert page.inner_text(".cr-score") == "Score 1 / 1"
    page.keyboard.type("-0.001341")  # the first answer is selected: typing replaces it
    page.keyboard.press("Enter")
    verdict = page.inner_text(".cr-verdict")
    assert verdict.startswith("✗ Not quite (the sign is flipped)")  # as check_gradients says it
    assert "local × upstream = ∂(a*b + c)/∂(a*b) · ∂L/∂(a*b + c) = 1 × 0.001341 = 0.001341" in verdict
    assert page.inner_text(".cr-score") == "Score 1 / 2"

    page.keyboard.press("ArrowRight")
    page.keyboard.type("1")  # the local derivative alone: the slip is named
    page.keyboard.press("Enter")
    assert "that is the local derivative ∂(a*b + c)/∂c alone" in page.inner_text(".cr-verdict")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.001341")  # c's new gradient, on the second try
    page.keyboard.press("Enter")
    assert page.inner_text(".cr-verdict").startswith("✓ Right on the second try")
    assert page.inner_text(".cr-score") == "Score 2 / 3"
    page.keyboard.press("ArrowLeft")  # back to the wrong one: the verdict is kept
    assert page.inner_text(".cr-verdict").startswith("✗ Not quite")
    assert page.input_value(".cr-answer") == "-0.001341"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # an unanswered step is revealed without credit
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".cr-equation") == steps[3]["eq"]
    assert page.inner_text(".cr-score") == "Score 2 / 4"
    assert errors == []


@pytest.mark.slow
def test_two_quizzes_on_one_page_keep_their_own_scores(browser, tmp_path):
    quiz = Player(build(*README)[0], quiz=True)
    page_file = tmp_path / "two.html"
    page_file.write_text(f"<html><body>{quiz._repr_html_()}{quiz._repr_html_()}</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    one, two = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)
    one.locator(".cr-next").click()
    one.locator(".cr-answer").fill("0.001341")
    one.locator(".cr-answer").press("Enter")
    two.locator(".cr-next").click()
    two.locator(".cr-answer").fill("5")
    two.locator(".cr-answer").press("Enter")
    assert two.locator(".cr-score").inner_text() == "Score 0 / 0"  # one more try first
    two.locator(".cr-answer").press("Enter")
    assert one.locator(".cr-score").inner_text() == "Score 1 / 1"
    assert two.locator(".cr-score").inner_text() == "Score 0 / 1"


# --- answers that must not crash the quiz ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1+" * 2000 + "1",  # too deep for the parser: was a RecursionError
        "1*" * 2000 + "1",
        "-" * 50000 + "1",  # was a MemoryError
        "1+" * 100 + "1",  # 201 characters: just over the cap
        "\udcff\udcfe",  # bytes that were not UTF-8, as surrogateescape decodes them
        "\ufffd",  # the same, decoded with errors="replace"
        "1\x00",  # a null byte
        "(" * 150 + "1" + ")" * 49,
    ],
)
def test_unreadable_answers_are_answer_errors(text):
    with pytest.raises(AnswerError):
        read_answer(text)


def test_the_longest_answers_still_read():
    assert read_answer("1+" * 99 + "1") == 100.0  # 199 characters
    assert read_answer("-" * 199 + "1") == -1.0
    assert read_answer("9" * 200) == float("9" * 200)
    with pytest.raises(AnswerError, match="201 characters long"):
        read_answer("9" * 201)
    with pytest.raises(TypeError):
        read_answer(5)


def test_the_terminal_quiz_survives_hostile_answers_and_asks_again():
    import subprocess

    answers = b"\xff\xfe\n" + ("1+" * 2000 + "1\n").encode() + ("-" * 50000 + "1\n").encode() + b"0.07065\n"
    result = subprocess.run(
        [sys.executable, "-m", "demos.step", "tanh(a*b)", "a=1", "b=2", "--quiz"],
        input=answers,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    out, err = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0 and "Traceback" not in err, err
    assert out.count("not a number") == 1 and out.count("could not read the answer") == 2
    assert "✓ right" in out and "score 1/1" in out  # the quiz went on, and the bad lines cost nothing

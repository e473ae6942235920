"""The training playground: the run it records, the page it writes, and that page in a browser."""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd import Value, no_grad
from demos import playground

SIZE_LIMIT = 3 * 1024 * 1024  # "small enough to email"


def page_data(text: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="playground-data">(.*?)</script>', text, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_frame_steps_keep_every_step_up_to_100_then_spread_out() -> None:
    assert playground.frame_steps(5) == [0, 1, 2, 3, 4, 5]
    assert playground.frame_steps(100) == list(range(101))
    many = playground.frame_steps(1000)
    assert many[0] == 0 and many[-1] == 1000 and len(many) == 101


def test_logistic_loss_is_binary_cross_entropy_of_the_sigmoid() -> None:
    scores = [Value(2.0), Value(-0.5), Value(30.0), Value(-700.0)]
    labels = [1, 0, 0, 1]
    loss = playground.logistic_loss(scores, labels)

    def naive(s: float, t: int) -> float:
        return math.log1p(math.exp(-s)) if t == 1 else math.log1p(math.exp(s))

    expected = sum(naive(s.data, t) for s, t in zip(scores, labels)) / 4
    assert loss.data == pytest.approx(expected, rel=1e-12)
    loss.backward()  # finite gradients even where exp(700) would overflow
    assert all(math.isfinite(s.grad) for s in scores)


def test_the_boundary_is_the_model_under_no_grad() -> None:
    model = nn.MLP(2, [3, 1], seed=1)
    extent = (-1.0, 1.0, -2.0, 2.0)
    cells = playground.boundary(model, extent, 4)
    assert len(cells) == 16
    # the top-left cell's centre: x = -0.75, y = 2 - 0.5 = 1.5
    with no_grad():
        score = model([-0.75, 1.5])[0].data
    assert cells[0] == round(255 / (1 + math.exp(-score)))


def test_a_run_records_every_snapshot() -> None:
    run = playground.train("xor", 6, grid=5)
    assert run.steps == 6 and len(run.loss) == len(run.accuracy) == 7
    assert run.frames == list(range(7))
    assert len(run.boundaries) == len(run.weights) == 7
    assert all(len(b) == 25 for b in run.boundaries)
    assert run.sizes == [2, 4, 1]
    assert [len(layer) for layer in run.weights[0]] == [4, 1]  # units per layer
    assert len(run.weights[0][0][0]) == 3  # two weights and a bias
    assert run.loss[-1] < run.loss[0]


def test_the_page_is_self_contained_and_carries_the_run() -> None:
    run = playground.train("circles", 3, grid=6, hidden=[3])
    text = playground.page(run)
    # Nothing fetched: the only URL is the SVG namespace, a name rather than a fetch.
    urls = set(re.findall(r"https?://[^\s\"')]+", text))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    data = page_data(text)
    assert data["frames"] == [0, 1, 2, 3] and data["grid"] == 6
    assert base64.b64decode(data["boundaries"]) == b"".join(run.boundaries)
    assert len(data["points"]) == 100 and data["sizes"] == [2, 3, 1]
    assert "</script>" not in json.dumps(data)  # the blob cannot close its script early


def test_bad_arguments_fail_with_a_message() -> None:
    with pytest.raises(ValueError, match="unknown dataset 'swiss': choose one of moons, circles, spirals, xor"):
        playground.train("swiss", 3)
    with pytest.raises(ValueError, match="steps must be at least 1"):
        playground.train("xor", 0)
    with pytest.raises(ValueError, match="optimizer must be 'adam' or 'sgd'"):
        playground.train("xor", 2, optimizer="rmsprop")
    with pytest.raises(SystemExit):
        playground.main(["--hidden", "8;8"])


def test_the_command_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = playground.main(["--dataset", "xor", "--steps", "4", "--grid", "6", "--out", str(tmp_path / "p.html")])
    assert out == tmp_path / "p.html" and out.exists()
    printed = capsys.readouterr().out
    assert "wrote" in printed and "no network needed" in printed
    assert page_data(out.read_text(encoding="utf-8"))["frames"] == [0, 1, 2, 3, 4]


@pytest.mark.slow
def test_the_page_in_a_browser(browser: Any, tmp_path: Path) -> None:
    path = playground.main(["--dataset", "moons", "--steps", "100", "--out", str(tmp_path / "moons.html")])
    size = path.stat().st_size
    assert size < SIZE_LIMIT, f"the page is {size} bytes"

    page = browser.new_page(viewport={"width": 1024, "height": 768})
    errors: list[str] = []
    fetched: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(path.as_uri())

    def picture() -> dict[str, str]:
        return page.evaluate(
            """() => ({
                boundary: document.getElementById('boundary').toDataURL(),
                network: document.getElementById('network').innerHTML,
                loss: document.getElementById('loss').innerHTML,
                readout: document.getElementById('readout').textContent,
                slider: document.getElementById('step').value,
            })"""
        )

    first = picture()
    assert first["readout"].startswith("step 0 of 100")
    assert page.evaluate("document.activeElement.id") == "step"  # the slider has the keyboard

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    second = picture()
    assert second["readout"].startswith("step 2 of 100") and second["slider"] == "2"
    assert second["boundary"] != first["boundary"]
    assert second["network"] != first["network"]
    assert second["loss"] != first["loss"]

    page.keyboard.press("End")
    last = picture()
    assert last["readout"].startswith("step 100 of 100")
    assert "accuracy 100%" in last["readout"]
    page.keyboard.press("ArrowLeft")
    assert picture()["readout"].startswith("step 99 of 100")
    page.keyboard.press("Home")
    assert picture() == first  # the same frame draws the same picture

    page.click("#next")
    assert picture()["readout"].startswith("step 1 of 100")
    page.click("#prev")
    assert picture()["readout"].startswith("step 0 of 100")

    # Dragging the slider (an input event) moves the picture too.
    page.eval_on_selector("#step", "s => { s.value = 50; s.dispatchEvent(new Event('input')); }")
    assert picture()["readout"].startswith("step 50 of 100")

    page.keyboard.press("Home")
    page.focus("#step")
    page.keyboard.press("Space")  # play
    page.wait_for_function("document.getElementById('step').value >= 5")
    page.keyboard.press("Space")  # pause
    paused = picture()["slider"]
    page.wait_for_timeout(300)
    assert picture()["slider"] == paused

    assert errors == []
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched
    page.close()


# --- bad flags are refused before training; a blow-up is one line -------------------------


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--hidden", "0"], "argument --hidden: every layer needs at least 1 unit"),
        (["--hidden", "-3"], "argument --hidden: every layer needs at least 1 unit"),
        (["--hidden", "8,0"], "argument --hidden: every layer needs at least 1 unit"),
        (["--hidden", "8,,8"], "argument --hidden: takes sizes separated by commas"),
        (["--lr", "-1"], "argument --lr: must be a finite number greater than 0, got '-1'"),
        (["--lr", "0"], "argument --lr: must be a finite number greater than 0"),
        (["--lr", "nan"], "argument --lr: must be a finite number greater than 0, got 'nan'"),
        (["--lr", "inf"], "argument --lr: must be a finite number greater than 0, got 'inf'"),
        (["--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["--steps", "0"], "argument --steps: must be at least 1, got 0"),
        (["--out", ""], "--out needs a file name"),
    ],
)
def test_bad_flags_are_one_parser_error(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--dataset", "xor", "--steps", "2", "--grid", "4", "--out", str(tmp_path / "p.html"), *flags]
    with pytest.raises(SystemExit) as exited:
        playground.main(args)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Training on" not in captured.out


def test_an_unwritable_out_is_refused_before_training(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for out, message in [
        (tmp_path / "missing" / "p.html", f"--out: the folder {tmp_path / 'missing'} does not exist"),
        (tmp_path, f"--out: {tmp_path} is a folder"),
    ]:
        with pytest.raises(SystemExit) as exited:
            playground.main(["--dataset", "xor", "--steps", "2", "--out", str(out)])
        assert exited.value.code == 2
        captured = capsys.readouterr()
        assert message in captured.err and "Training on" not in captured.out
    assert list(tmp_path.iterdir()) == []  # checking left nothing behind


def test_checking_out_leaves_an_existing_page_untouched(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("old", encoding="utf-8")
    assert playground.writable_problem(page) is None
    assert page.read_text(encoding="utf-8") == "old"
    fresh = tmp_path / "new.html"
    assert playground.writable_problem(fresh) is None and not fresh.exists()


def test_a_training_blow_up_is_one_line_suggesting_a_smaller_lr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.html"
    args = ["--dataset", "xor", "--lr", "1e308", "--optimizer", "sgd", "--steps", "30", "--grid", "4"]
    with pytest.raises(SystemExit) as exited:
        playground.main([*args, "--out", str(out)])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("demos.playground: training diverged at step ")
    assert err.endswith("; try a smaller --lr (this run used 1e+308)")
    assert not out.exists()


def test_train_raises_a_diverged_error_naming_the_step() -> None:
    with pytest.raises(playground.TrainingDivergedError, match=r"training diverged at step \d+: ") as raised:
        playground.train("xor", 30, grid=4, lr=1e300, optimizer="sgd", activation="relu")
    assert isinstance(raised.value, FloatingPointError) and raised.value.step >= 1


@pytest.mark.slow
def test_the_page_fits_a_phone_and_a_projector(browser: Any, tmp_path: Path) -> None:
    path = playground.main(["--dataset", "moons", "--steps", "10", "--grid", "20", "--out", str(tmp_path / "p.html")])
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(path.as_uri())
    page.keyboard.press("End")  # the longest readout
    # No sideways scrolling on a phone: nothing is wider than the screen.
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.set_viewport_size({"width": 1280, "height": 720})
    # On a projector the boundary, the loss and the network are all above the fold.
    bottoms = page.evaluate(
        "['boundary', 'loss', 'network'].map(id => document.getElementById(id).getBoundingClientRect().bottom)"
    )
    assert max(bottoms) <= 720, bottoms
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.close()

"""The matplotlib figures of the demos read on a 1280x720 slide: frames, legends off the data, labels."""

from __future__ import annotations

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from demos import digits  # noqa: E402
from demos.lecture import s6_training  # noqa: E402


@pytest.mark.parametrize(("count", "shape"), [(1, (1, 1)), (8, (1, 8)), (10, (2, 5)), (9, (2, 5)), (24, (3, 8))])
def test_misclassified_digits_fill_their_rows_evenly(count, shape):
    rows, columns = digits.grid_shape(count)
    assert (rows, columns) == shape
    assert rows * columns - count < rows  # never a mostly empty last row


def test_each_misclassified_digit_has_a_frame(tmp_path, monkeypatch):
    np = pytest.importorskip("numpy")
    made = []
    monkeypatch.setattr(plt, "close", made.append)  # keep the figure to look at it
    X = np.zeros((12, 64))  # all white: without a frame, nothing would show
    y_true, y_pred = np.arange(12) % 10, (np.arange(12) + 1) % 10
    assert digits.draw_misclassified(X, y_true, y_pred, tmp_path / "m.png") == 12
    (fig,) = made
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 12
    for ax in shown:
        assert ax.axison and all(spine.get_visible() for spine in ax.spines.values())
        assert not ax.get_xticks().size and not ax.get_yticks().size
    assert len(fig.axes) == 12  # 2 rows of 6, no empty cells
    plt.close(fig)


def test_loss_curves_fit_a_slide_on_shared_axes():
    curves = {
        "gradient descent (XOR)": [1.0 / (t + 1) for t in range(100)],
        "SGD + momentum (moons)": [0.5 / k for k in range(1, 31)],
        "SGD + Nesterov (moons)": [0.4 / k for k in range(1, 31)],
    }
    fig = s6_training.figure(curves)
    try:
        width, height = fig.get_size_inches()
        assert width / height < 2.5  # not a 1500x350 strip
        fit = min(1280 / (width * s6_training.DPI), 720 / (height * s6_training.DPI))  # shown on a 1280x720 slide
        fig.canvas.draw()
        sizes = [t.get_fontsize() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
        assert min(sizes) / 72 * s6_training.DPI * fit >= 14  # tick labels at least 14 pixels tall
        left, right = fig.axes
        assert len(right.get_lines()) >= 2  # momentum and Nesterov on one axis, to compare
        assert right.get_ylabel() == "mean loss per epoch"
        marks = [line for line in right.get_lines() if line.get_linestyle() == "--"]
        assert marks and marks[0].get_xdata()[0] == pytest.approx(s6_training.STEP_SIZE + 0.5)
        assert any("step decay" in t.get_text() for t in right.texts)
        assert left.get_xlabel() == "iteration" and right.get_xlabel() == "epoch"
    finally:
        plt.close(fig)

"""The README's promises: its two commands, and that its examples run as written."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_two_commands_and_ci_runs_the_second():
    install_and_demo, install_and_test = code_blocks("bash")[0].strip().splitlines()
    assert "pip install" in install_and_demo and "demos." in install_and_demo
    assert "pip install" in install_and_test and "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text()


def test_the_main_demo_module_exists():
    install_and_demo = code_blocks("bash")[0].strip().splitlines()[0]
    module = re.search(r"-m (demos\.\w+)", install_and_demo).group(1)
    assert (ROOT / (module.replace(".", "/") + ".py")).exists()


def test_python_examples_run(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for block in code_blocks("python"):
        result = subprocess.run(
            [sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "graph.svg").exists()  # the drawing example saved its picture


def test_the_readme_lists_exactly_the_ops_of_the_table():
    from autograd import OPS

    line = next(line for line in README.splitlines() if line.startswith("<!-- ops -->"))
    assert re.findall(r"`([^`]+)`", line) == list(OPS)


DEMOS_README = (ROOT / "demos" / "README.md").read_text()


def demo_commands():
    """Every command of demos/README.md as written, its [optional] parts left out."""
    commands = re.findall(r"`python -m (demos[^`]*)`", DEMOS_README)
    return [re.sub(r"\s*\[[^\]]*\]", "", command).strip() for command in commands]


@pytest.mark.slow
@pytest.mark.parametrize("command", demo_commands())
def test_every_command_in_the_demos_readme_runs(command, tmp_path):
    import shlex

    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", *shlex.split(command)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip(), "a demo that prints nothing teaches nothing"

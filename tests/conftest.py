"""Shared fixtures: a real browser for the pages chainrule writes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_or_skip() -> str:
    """Debian's chromium; in CI its absence fails the test, on a user's machine it skips it."""
    executable = shutil.which("chromium")
    if executable:
        return executable
    why = "the browser tests need Debian's chromium (apt-get install chromium; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright (its own browser downloads are not used)."""
    executable = chromium_or_skip()
    from playwright import sync_api  # in the test extra: pip install -e ".[test]"

    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()

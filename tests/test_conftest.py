"""The browser fixture: a clear skip on a user's machine without chromium, a failure in CI."""

import conftest
import pytest


def test_without_chromium_the_browser_tests_skip_with_a_reason(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        conftest.chromium_or_skip()


def test_in_ci_a_missing_chromium_fails(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        conftest.chromium_or_skip()

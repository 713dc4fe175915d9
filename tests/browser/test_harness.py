"""The harness's own rule: no chromium means a plain skip, unless CI requires the browser."""

import pytest

from . import conftest


def test_missing_chromium_skips_with_a_plain_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("HUB_REQUIRE_BROWSER", raising=False)
    reason = "^chromium not installed: browser tests skipped$"
    with pytest.raises(pytest.skip.Exception, match=reason):
        conftest.require_browser()


def test_missing_chromium_fails_when_the_browser_is_required(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("HUB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium not installed"):
        conftest.require_browser()


def test_present_chromium_neither_skips_nor_fails(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.touch()
    monkeypatch.setattr(conftest, "CHROMIUM", fake)
    monkeypatch.setenv("HUB_REQUIRE_BROWSER", "1")
    conftest.require_browser()

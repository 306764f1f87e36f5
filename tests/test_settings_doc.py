"""docs/settings.rst documents every setting the plugin reads, as the registry declares them."""
from __future__ import annotations

import re
from pathlib import Path

from commerce_plugin.settings.registry import SETTINGS_BY_NAME, render_rst

REPO = Path(__file__).resolve().parents[1]


def test_settings_reference_is_generated_from_the_registry():
    assert (REPO / "docs" / "settings.rst").read_text() == render_rst(), "run `make docs-settings`"


def test_every_setting_read_by_the_code_is_declared():
    used = set()
    for path in (REPO / "commerce_plugin").rglob("*.py"):
        used |= set(re.findall(r"get_setting\(\s*\"(COMMERCE_[A-Z_]+)\"", path.read_text()))
    assert used, "no get_setting() calls found: the scan is broken"
    assert used <= set(SETTINGS_BY_NAME)

"""The README says what the code does: the webhook event list is the dispatch table's."""
from __future__ import annotations

import re
from pathlib import Path

from commerce_plugin.intake.stripe_webhooks import HANDLERS

README = Path(__file__).resolve().parents[1] / "README.rst"


def test_the_readme_lists_exactly_the_webhook_events_the_plugin_handles():
    text = README.read_text(encoding="utf-8")
    step = text[text.index("4. Set ``COMMERCE_STRIPE_SECRET_KEY``"):text.index("5. Run the migrations")]
    listed = set(re.findall(r"``([a-z_]+(?:\.[a-z_]+)+)``", step))
    assert listed == set(HANDLERS)


def test_the_readme_names_the_rest_prefix_the_plugin_mounts():
    from django.urls import reverse

    prefix = reverse("commerce_plugin:v1:health").removesuffix("health/")
    assert f"``{prefix}``" in README.read_text(encoding="utf-8")

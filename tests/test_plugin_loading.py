"""The plugin is loaded into the host the way the LMS loads plugins, never by hand."""
from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import resolve, reverse
from edx_django_utils.plugins import get_plugin_apps

import commerce_plugin
from commerce_plugin.settings import production
from commerce_plugin.settings.registry import SETTINGS

REPO = Path(__file__).resolve().parents[1]


def test_the_entry_point_names_the_app_config():
    assert "commerce_plugin.apps.CommercePluginConfig" in get_plugin_apps("lms.djangoapp")
    assert apps.get_app_config("commerce_plugin").plugin_app["url_config"]


def test_the_host_settings_do_not_list_the_plugin_by_hand():
    source = (REPO / "sandbox" / "settings" / "base.py").read_text()
    declared = next(
        node.value for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "INSTALLED_APPS" for t in node.targets)
    )
    by_hand = [element.value for element in declared.elts if isinstance(element, ast.Constant)]
    assert "sandbox.lms" in by_hand
    assert not any(name.startswith("commerce_plugin") for name in by_hand)
    assert "commerce_plugin.apps.CommercePluginConfig" in settings.INSTALLED_APPS


def test_common_and_test_plugin_settings_were_applied():
    for spec in SETTINGS:
        assert hasattr(settings, spec.name), spec.name
    # The "test" settings type shortens the timeouts; "common" alone would leave the default.
    assert tuple(settings.COMMERCE_LMS_TIMEOUT) == (1.0, 2.0)


def test_plugin_urls_are_mounted_under_their_prefixes():
    assert reverse("commerce_plugin:v1:health") == "/api/commerce_plugin/v1/health/"
    assert reverse("commerce_plugin:status") == "/commerce/status/"
    assert resolve("/api/commerce_plugin/v1/health/").namespace == "commerce_plugin:v1"


def test_core_routes_come_before_plugin_routes():
    from sandbox import urls

    names = [getattr(pattern, "pattern", None) and str(pattern.pattern) for pattern in urls.urlpatterns]
    plugin_index = next(i for i, pattern in enumerate(urls.urlpatterns)
                        if getattr(pattern, "namespace", None) == "commerce_plugin")
    assert plugin_index == len(names) - 1


def test_production_settings_take_operator_values_from_env_tokens():
    class Host:
        ENV_TOKENS = {"COMMERCE_LMS_TIMEOUT": [2, 20], "COMMERCE_LMS_OAUTH_CLIENT_ID": "ops-client"}
        COMMERCE_LMS_BASE_URL = "http://lms:8000"

    production.plugin_settings(Host)
    assert Host.COMMERCE_LMS_TIMEOUT == (2, 20)
    assert Host.COMMERCE_LMS_OAUTH_CLIENT_ID == "ops-client"
    assert Host.COMMERCE_LMS_BASE_URL == "http://lms:8000"  # set earlier by the host: kept
    assert Host.COMMERCE_LMS_ENROLLMENTS_MAX_PAGES == 1000  # default filled in


def test_version_is_exposed_by_the_package():
    assert commerce_plugin.__version__.count(".") == 2

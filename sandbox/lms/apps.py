"""App configuration of the miniature LMS.

The LMS connects plugin signal receivers from ``PluginsConfig.ready()``; this app plays that part so
that a plugin loaded into the sandbox gets its ``signals_config`` receivers wired exactly as in the LMS.
"""
from __future__ import annotations

from django.apps import AppConfig


class LmsConfig(AppConfig):
    """The LMS side of the sandbox: courses, enrollments, accounts, OAuth2 and the control plane."""

    name = "sandbox.lms"
    label = "sandbox_lms"
    verbose_name = "Sandbox LMS"
    default_auto_field = "django.db.models.BigAutoField"

    _receivers_connected = False

    def ready(self) -> None:
        # Imported here: edx-django-utils reads plugin metadata, which needs the app registry ready.
        from edx_django_utils.plugins import connect_plugin_receivers

        if not LmsConfig._receivers_connected:
            connect_plugin_receivers("lms.djangoapp")
            LmsConfig._receivers_connected = True

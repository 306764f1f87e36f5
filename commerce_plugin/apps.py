"""Django app configuration and Open edX plugin wiring.

The LMS finds this class through the ``lms.djangoapp`` entry point (see setup.py) and reads
``plugin_app`` to mount our URLs and apply our settings; nothing in the LMS names this app by hand.
"""
from __future__ import annotations

from django.apps import AppConfig

# Plain strings instead of edx_django_utils.plugins constants: this module is imported while the
# host is still building its settings, and strings keep it free of imports at that moment.
_LMS = "lms.djangoapp"


class CommercePluginConfig(AppConfig):
    """The commerce plugin app: REST API under ``api/commerce_plugin/``, pages and webhooks under ``commerce/``."""

    name = "commerce_plugin"
    label = "commerce_plugin"
    verbose_name = "Commerce"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            _LMS: {
                # Two URL modules: one plugin entry can mount only one prefix, so the REST API
                # includes the pages module under its own ``commerce/`` prefix (see urls.py).
                "namespace": "commerce_plugin",
                "regex": r"^",
                "relative_path": "urls",
            },
        },
        "signals_config": {
            _LMS: {
                "relative_path": "handlers",
                "receivers": [
                    {
                        "receiver_func_name": "on_registration_completed",
                        "signal_path": "openedx_events.learning.signals.STUDENT_REGISTRATION_COMPLETED",
                    },
                    {
                        "receiver_func_name": "on_enrollment_changed",
                        "signal_path": "openedx_events.learning.signals.COURSE_ENROLLMENT_CHANGED",
                    },
                    {
                        "receiver_func_name": "on_unenrollment_completed",
                        "signal_path": "openedx_events.learning.signals.COURSE_UNENROLLMENT_COMPLETED",
                    },
                ],
            },
        },
        "settings_config": {
            _LMS: {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
                "devstack": {"relative_path": "settings.devstack"},
                "test": {"relative_path": "settings.test"},
            },
        },
    }

    def ready(self) -> None:
        """Register the Celery tasks (work queued by name finds them in any process) and the system checks."""
        from django.core import checks

        from commerce_plugin import tasks  # noqa: F401
        from commerce_plugin.checks import check_enrollment_gate, check_production_secrets

        checks.register(check_production_secrets, "commerce_plugin", deploy=False)
        checks.register(check_enrollment_gate, "commerce_plugin")
        _connect_retirement_signal()


def _connect_retirement_signal() -> None:
    """Connect to the LMS's user retirement signal by dotted path (``COMMERCE_RETIREMENT_SIGNAL``).

    A plain Django signal, not an openedx-event, so ``signals_config`` cannot carry it; importing
    it by path keeps the plugin free of LMS imports. Missing (not an LMS, or a release that moved
    it): logged, and retirement is not handled.
    """
    import logging

    from django.conf import settings
    from django.utils.module_loading import import_string

    from commerce_plugin.handlers import on_user_retired

    path = getattr(settings, "COMMERCE_RETIREMENT_SIGNAL", "")
    if not path:
        return
    try:
        signal = import_string(path)
    except ImportError:
        logging.getLogger(__name__).warning("retirement signal %s not found: user retirement is not handled", path)
        return
    signal.connect(on_user_retired, dispatch_uid="commerce_plugin.on_user_retired")

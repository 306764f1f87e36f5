"""The Tutor plugin: install commerce_plugin in the LMS image, configure it, create its service user.

Registered at import time, as every Tutor v1 plugin is (entry point ``tutor.plugin.v1``):

- config defaults (``COMMERCE_*``): the exact version installed, the service user and OAuth
  client id, the LMS URL inside the cluster; a generated client secret (``CONFIG_UNIQUE``, stored
  once in ``config.yml``); the Stripe keys have **no** default, the LMS check says when they
  are missing;
- patches (``patches/``): the exact-pinned install in the LMS images, the LMS settings, and a
  ``lms-commerce-beat`` service that runs the periodic jobs (Tutor runs no Celery beat: ADR 0013);
- an LMS init task (``templates/commerce/tasks/lms/init.sh``): the staff service user, its
  client-credentials application, and ``commerce_lms_check``.
"""
from __future__ import annotations

from importlib import resources

from tutor import hooks

from tutorcommerce import __version__

#: Periodic jobs of commerce_plugin and how often they run (seconds); rendered into the settings.
PERIODIC_TASKS = {
    "commerce-process-due-syncs": "commerce_plugin.tasks.process_due_syncs",
    "commerce-process-due-refunds": "commerce_plugin.tasks.process_due_refunds",
    "commerce-expire-orders": "commerce_plugin.tasks.expire_orders",
    "commerce-apply-access-windows": "commerce_plugin.tasks.apply_access_windows",
    "commerce-process-due-webhooks": "commerce_plugin.tasks.process_due_webhooks",
}

hooks.Filters.CONFIG_DEFAULTS.add_items([
    ("COMMERCE_VERSION", __version__),
    # What pip installs: the exact release by default; a VCS URL pinned to a tag works too,
    # e.g. "commerce-plugin @ git+https://example.org/commerce_plugin.git@v0.3.0".
    ("COMMERCE_PIP_REQUIREMENT", "commerce-plugin=={{ COMMERCE_VERSION }}"),
    ("COMMERCE_LMS_BASE_URL", "http://lms:8000"),
    ("COMMERCE_SERVICE_USERNAME", "commerce_service"),
    ("COMMERCE_SERVICE_EMAIL", "commerce_service@openedx"),
    ("COMMERCE_LMS_OAUTH_CLIENT_ID", "commerce-plugin"),
    ("COMMERCE_STRIPE_SECRET_KEY", ""),
    ("COMMERCE_STRIPE_WEBHOOK_SECRET", ""),
    ("COMMERCE_RUN_BEAT", True),
    ("COMMERCE_BEAT_INTERVAL_SECONDS", 60),
])

hooks.Filters.CONFIG_UNIQUE.add_items([
    ("COMMERCE_LMS_OAUTH_CLIENT_SECRET", "{{ 32|random_string }}"),
])

hooks.Filters.ENV_TEMPLATE_VARIABLES.add_item(("COMMERCE_PERIODIC_TASKS", PERIODIC_TASKS))

_PACKAGE = resources.files("tutorcommerce")

for _patch in sorted((_PACKAGE / "patches").iterdir(), key=lambda entry: entry.name):
    if _patch.is_file():
        hooks.Filters.ENV_PATCHES.add_item((_patch.name, _patch.read_text(encoding="utf-8")))

hooks.Filters.CLI_DO_INIT_TASKS.add_item((
    "lms",
    (_PACKAGE / "templates" / "commerce" / "tasks" / "lms" / "init.sh").read_text(encoding="utf-8"),
))

"""Settings for the one-command demo: SQLite file under ``var/``, admin static files served."""
from __future__ import annotations

from edx_django_utils.plugins import add_plugins

from sandbox.settings.base import *  # noqa: F401,F403  (settings modules are star-imported by design)

DEBUG = True
# The LMS's development settings end like this (lms/envs/devstack.py).
add_plugins(__name__, "lms.djangoapp", "devstack")

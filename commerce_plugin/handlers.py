"""Receivers of LMS events (openedx-events), connected through ``plugin_app["signals_config"]``."""
from __future__ import annotations

import logging
from typing import Any

from commerce_plugin import api

log = logging.getLogger(__name__)


def on_registration_completed(sender: Any = None, user: Any = None, **kwargs: Any) -> None:
    """A new LMS account: enroll the person in what they were granted before they had one."""
    if user is None or not getattr(user, "pii", None):
        return
    ids = api.account_registered(user.pii.email, user.id)
    if ids:
        log.info("registration user_id=%s syncs=%s", user.id, len(ids))

"""Authentication shared by the v1 views: as the LMS's own APIs, a JWT or the LMS session.

Declared on our views instead of trusting the host's defaults, so the plugin behaves the same
in every LMS configuration.
"""
from __future__ import annotations

from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.auth.session.authentication import SessionAuthenticationAllowInactiveUser

AUTHENTICATION_CLASSES = (JwtAuthentication, SessionAuthenticationAllowInactiveUser)

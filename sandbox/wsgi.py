"""WSGI entry of the miniature LMS (used by ``python -m sandbox serve``)."""
from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.demo")
application = get_wsgi_application()

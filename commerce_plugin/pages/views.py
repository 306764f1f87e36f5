"""Page views. Thin: they call :mod:`commerce_plugin.api` and render a template."""
from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commerce_plugin import api


@transaction.non_atomic_requests  # it calls the LMS over HTTP: no transaction held meanwhile
@staff_member_required
def status_page(request: HttpRequest) -> HttpResponse:
    """Staff page: plugin version and a live check of the LMS connection (token, service user)."""
    status = api.get_plugin_status(check_lms=True)
    checks = api.production_checks(lms=status.lms)  # the LMS check just made, not made again
    return render(request, "commerce_plugin/status.html", {"status": status, "checks": checks},
                  status=200 if status.lms and status.lms.ok else 503)

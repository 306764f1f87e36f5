"""The API commits as it goes, even in an LMS that wraps requests in a transaction (ATOMIC_REQUESTS).

Buying must commit the order before Stripe is called, and enrollment syncs run on commit; a
request-wide transaction would hold the order's row lock across the Stripe call and delay both.
"""
from __future__ import annotations

import pytest
from django.urls import resolve

from tests.rest_api.conftest import V1


@pytest.mark.parametrize("path", [
    f"{V1}/products/", f"{V1}/products/x/", f"{V1}/orders/", f"{V1}/orders/CP-X/", f"{V1}/orders/CP-X/cancel/"])
def test_api_views_opt_out_of_the_request_transaction(path):
    assert "default" in getattr(resolve(path).func, "_non_atomic_requests", set())

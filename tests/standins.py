"""Pytest fixtures for the Stripe stand-in (localstripe plus our Checkout extension).

Registered from ``tests/conftest.py`` with ``pytest_plugins = ["tests.standins"]``.

* ``localstripe`` (session): one localstripe process for the whole run, started from its own
  virtualenv (GPL and a dependency clash keep it out of ours; see ``sandbox/stripe_process.py``).
  A missing interpreter fails the tests instead of skipping them: silently skipped payment
  tests look like passing ones.
* ``stripe_standin`` (function): the same process with every object deleted first. Webhook
  receivers survive the flush, so register them per test (they are replaced by ``hook_id``).
* ``stripe_client_for(url)``: a stripe-python client pointed at the stand-in.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe

from sandbox.stripe_process import LocalStripe, localstripe_python, start_localstripe

TEST_SECRET_KEY = "sk_test_local"


def stripe_client_for(url: str) -> stripe.StripeClient:
    """A client for the stand-in at ``url``. No retries: localstripe ignores idempotency keys,
    so a retried request would repeat its side effect."""
    return stripe.StripeClient(TEST_SECRET_KEY, base_addresses={"api": url}, max_network_retries=0)


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    python = localstripe_python()
    if not Path(python).exists():
        pytest.fail(
            f"The localstripe interpreter {python} does not exist. Run `make test`, which creates "
            ".venv-localstripe, or point LOCALSTRIPE_PYTHON at an interpreter with localstripe installed.",
            pytrace=False,
        )
    stand_in = start_localstripe(python=python)
    yield stand_in
    stand_in.stop()


@pytest.fixture
def stripe_standin(localstripe: LocalStripe) -> Iterator[LocalStripe]:
    localstripe.flush()
    yield localstripe

"""Refunds: the policy, requests and decisions, Stripe refunds, grant revocation (private; use api)."""

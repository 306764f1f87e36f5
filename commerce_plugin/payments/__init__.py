"""Payments: Stripe webhook intake and its dispatch table (private; use commerce_plugin.api)."""

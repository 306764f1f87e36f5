"""Payments: the ledger of money in and out of each order (private; use commerce_plugin.api)."""

"""Intake of what Stripe tells us: verified webhook events and their dispatch table (private; use api.py)."""

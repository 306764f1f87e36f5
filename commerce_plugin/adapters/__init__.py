"""Adapters: the only code that talks to remote systems (``lms`` now; the Stripe gateway next)."""

"""Orders: creation, seat holds, expiry and the state machine (private; use commerce_plugin.api)."""

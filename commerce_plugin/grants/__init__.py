"""The grant ledger and the sync engine (private; use commerce_plugin.api). See docs/decisions/0002."""

"""Server-rendered pages under ``commerce/`` (learner pages and staff tools)."""

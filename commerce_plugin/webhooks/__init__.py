"""The Stripe webhook endpoint (the HTTP edge of ``intake.stripe_webhooks``)."""

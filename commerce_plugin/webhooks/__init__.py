"""The Stripe webhook endpoint (the HTTP edge of ``payments.webhooks``)."""

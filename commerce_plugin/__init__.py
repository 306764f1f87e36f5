"""commerce_plugin: sell Open edX course runs with Stripe, enroll through the LMS's own REST APIs."""

__version__ = "0.3.0"

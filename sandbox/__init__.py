"""The sandbox: a miniature LMS that hosts the plugin exactly as the real LMS does.

Test and demo code only; never shipped with the plugin (setup.py packages ``commerce_plugin`` alone).
The Celery app is loaded with the package, as the LMS loads its own.
"""
from sandbox.celery import app as celery_app

__all__ = ["celery_app"]

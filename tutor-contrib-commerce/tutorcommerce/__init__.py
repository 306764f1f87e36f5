"""Tutor plugin that installs and wires commerce_plugin into an Open edX LMS."""

__version__ = "0.3.0"

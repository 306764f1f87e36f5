"""Plugin settings, one module per Open edX settings type (common, production, devstack, test).

Every setting the plugin reads is declared once, in :mod:`commerce_plugin.settings.registry`,
with its default, meaning and an example; ``docs/settings.rst`` is generated from it.
"""

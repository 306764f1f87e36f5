"""The sandbox: a miniature LMS that hosts the plugin exactly as the real LMS does.

Test and demo code only; never shipped with the plugin (setup.py packages ``commerce_plugin`` alone).
"""

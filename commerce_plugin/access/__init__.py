"""Workgroups and access rules: the third way to get a course run, next to orders and staff grants."""

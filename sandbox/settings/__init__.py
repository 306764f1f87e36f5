"""Settings of the miniature LMS: ``base`` (common), ``demo``, ``test`` and ``test_mysql``."""

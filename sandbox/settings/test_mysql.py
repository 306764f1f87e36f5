"""The same test suite on MariaDB/MySQL, for real row locks and concurrency (``make test-mysql``).

PyMySQL stands in for mysqlclient (the platform's driver) so that no compiler or client headers
are needed; see docs/decisions/0003.
"""
from __future__ import annotations

import os

import pymysql

from sandbox.settings.test import *  # noqa: F401,F403

pymysql.install_as_MySQLdb()

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ.get("COMMERCE_TEST_MYSQL_DB", "commerce_plugin"),
        "USER": os.environ.get("COMMERCE_TEST_MYSQL_USER", "commerce_plugin"),
        "PASSWORD": os.environ.get("COMMERCE_TEST_MYSQL_PASSWORD", "commerce_plugin"),
        "HOST": os.environ.get("COMMERCE_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("COMMERCE_TEST_MYSQL_PORT", "3306"),
        # Loopback test server: no TLS. PyMySQL otherwise builds a TLS context per connection
        # (about 60 ms of CPU each), which the threaded sandbox pays on every request.
        "OPTIONS": {"charset": "utf8mb4", "ssl_disabled": True},
        "ATOMIC_REQUESTS": True,  # as the LMS runs requests
        "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    },
}

# A Celery worker started by the tests must use the database of the test run that started it.
if os.environ.get("SANDBOX_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["SANDBOX_DB_NAME"]

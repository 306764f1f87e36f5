"""Serve the miniature LMS on loopback with a threaded WSGI server and a machine-readable ready line.

Threaded on purpose: the plugin calls the LMS APIs over HTTP on its own host (as in production),
so a request being served may wait on another request to the same process.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

HOST = "127.0.0.1"
READY_PREFIX = "SANDBOX_URL="


class _QuietHandler(WSGIRequestHandler):
    """Request handler that logs through Django's ``django.server`` logger only for errors."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        if args and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)


class _Server(ThreadedWSGIServer):
    """Django's threaded server with a listen backlog for load tests: Django's default of 10
    pending connections reset the eleventh simultaneous connect (issue 11.16)."""

    request_queue_size = 512


def bind(port: int = 0) -> ThreadedWSGIServer:
    """Bind the server to ``127.0.0.1:port`` (0 = a free port) and point the plugin at it.

    The plugin's LMS client reads ``COMMERCE_LMS_BASE_URL`` at call time, so setting it here,
    once the real port is known, makes the plugin call this very server.
    """
    server = _Server((HOST, port), _QuietHandler, ipv6=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    url = f"http://{HOST}:{server.server_address[1]}"
    settings.LMS_ROOT_URL = url
    settings.COMMERCE_LMS_BASE_URL = url
    return server


def serve(server: ThreadedWSGIServer, on_ready: Callable[[str], None] | None = None) -> None:
    """Print the ready line, run ``on_ready`` (in a thread), then serve until interrupted."""
    import threading

    url = f"http://{HOST}:{server.server_address[1]}"
    print(f"{READY_PREFIX}{url}", flush=True)
    if on_ready is not None:
        threading.Thread(target=on_ready, args=(url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nSandbox stopped.", file=sys.stderr)
    finally:
        server.server_close()

"""Run localstripe for tests and the demo: loopback only, memory only, free port, Checkout added.

Usage (with localstripe's own interpreter, never the project's)::

    .venv-localstripe/bin/python sandbox/localstripe_ext/run_localstripe.py [PORT]

Why not the stock ``localstripe`` command (stripe-and-services.md, section 1.9): it listens on all
interfaces on a fixed port, pickles its whole store to the shared ``/tmp/localstripe.pickle`` after
every write (slow, and corrupt beyond ~1000 objects) and reloads whatever another run left there.

This wrapper keeps the store in memory, binds ``127.0.0.1`` on ``PORT`` (default 0: a free port),
prints ``LOCALSTRIPE_PORT=<port>`` once the socket listens (the ready signal the parent waits
for), installs the extensions (Checkout Sessions, the pay page, delivery counting, refund listing,
events and hooks, fault switches), then serves until SIGTERM/SIGINT.

localstripe is GPL, so this runs as a separate process with its own interpreter; the main project
only talks to it over HTTP (``sandbox/stripe_process.py``).
"""
from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path

# The extension modules live next to this script; this directory is deliberately not a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from localstripe.resources import Store  # noqa: E402


def _keep_in_memory(self: Store) -> None:
    """Replaces ``Store.dump_to_disk``, which localstripe calls after every write."""


# Before anything can write to the store. The wrapper never calls store.try_load_from_disk().
Store.dump_to_disk = _keep_in_memory

import checkout  # noqa: E402
import deliveries  # noqa: E402
import faults  # noqa: E402
import pay_page  # noqa: E402
import refunds  # noqa: E402
from aiohttp import web  # noqa: E402
from localstripe.server import app  # noqa: E402

HOST = "127.0.0.1"
READY_PREFIX = "LOCALSTRIPE_PORT="


def bind(port: int) -> socket.socket:
    """A listening IPv4 socket on loopback; port 0 lets the OS pick a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    # Already listening: a client connecting before run_app starts waits in the backlog.
    sock.listen(128)
    return sock


def announce(port: int) -> None:
    """Print the ready line, then point stdout at stderr.

    The parent reads only this one line from the stdout pipe; anything written there later would
    sit in a pipe nobody drains and could eventually block the server.
    """
    sys.stdout.write(f"{READY_PREFIX}{port}\n")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())


def main(argv: list[str]) -> None:
    port = int(argv[1]) if len(argv) > 1 else 0
    sock = bind(port)
    bound_port = sock.getsockname()[1]
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    checkout.install(app, base_url=f"http://{HOST}:{bound_port}")
    pay_page.install(app)
    deliveries.install(app)
    refunds.install(app)
    # Last: its middleware must be the innermost one (see faults.install).
    faults.install(app)
    announce(bound_port)
    web.run_app(app, sock=sock, print=None)


if __name__ == "__main__":
    main(sys.argv)

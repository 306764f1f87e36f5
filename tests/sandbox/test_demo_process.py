"""``python -m sandbox serve --stripe`` (the demo's server) stops its Stripe stand-in on SIGTERM too (issue 11.15)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.skipif(not (REPO / ".venv-localstripe" / "bin" / "python").exists() and
                    not os.environ.get("LOCALSTRIPE_PYTHON"), reason="needs the Stripe stand-in's virtualenv")
def test_sigterm_stops_the_server_and_its_stripe_stand_in(tmp_path):
    env = {**os.environ, "SANDBOX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "sandbox.settings.demo"}
    stand_ins: list[int] = []
    server = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--migrate", "--stripe"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "SANDBOX_URL=" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line or server.poll() is None, "the sandbox stopped before serving"
        stand_ins = _children(server.pid)
        assert stand_ins, "the Stripe stand-in was not started as a child"

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in stand_ins) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in stand_ins)
    finally:
        if server.poll() is None:
            server.kill()
        for pid in stand_ins:  # never leave our own child behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)

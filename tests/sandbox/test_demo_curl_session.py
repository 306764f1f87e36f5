"""The integrator walk-through the demo prints runs, as printed, against a running sandbox (issue 8.7)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the printed session uses curl")
def test_the_printed_curl_session_enrolls_then_unenrolls_the_learner(tmp_path):
    from sandbox.__main__ import curl_session
    from sandbox.lms.seed import DEMO_STRIPE_COURSE

    env = {**os.environ, "SANDBOX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "sandbox.settings.demo"}
    server = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--migrate", "--seed"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, line = time.monotonic() + 90, ""
        while "SANDBOX_URL=" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line or server.poll() is None, "the sandbox stopped before serving"
        url = line.strip().split("SANDBOX_URL=", 1)[1]
        session = curl_session(url, {"course_id": DEMO_STRIPE_COURSE, "workgroup_id": 1})
        script = "\n".join(text[2:] for text in session.splitlines()[1:])
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr + done.stdout
        out = done.stdout
        assert DEMO_STRIPE_COURSE in out  # the LMS's courses API lists it
        assert "PAYMENT_INTEGRATION_COURSE_STRIPE201" in out and re.search(r'ETag: "\d+"', out)
        accesses = re.findall(r'"lms_active":(true|false)', out)
        assert accesses == ["true", "false"], out[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=20)

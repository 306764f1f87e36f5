"""Start and drive the localstripe stand-in (a fake Stripe with Checkout) as a separate process.

Why a subprocess with its own interpreter, talked to only over HTTP:

* localstripe is GPL-3.0-or-later: the project must never import, vendor or ship it. It runs in
  ``.venv-localstripe`` and this module does not import it.
* Its dependencies clash with ours: it needs python-dateutil 4.x, celery pins 2.9.0.post0.

The process runs ``sandbox/localstripe_ext/run_localstripe.py`` (loopback only, in memory, free
port, Checkout Sessions, a hosted pay page, refund events and fault switches added) and announces
its port on stdout.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
WRAPPER = REPO_ROOT / "sandbox" / "localstripe_ext" / "run_localstripe.py"
DEFAULT_PYTHON = REPO_ROOT / ".venv-localstripe" / "bin" / "python"
PYTHON_ENV_VAR = "LOCALSTRIPE_PYTHON"
READY_PREFIX = "LOCALSTRIPE_PORT="
HOST = "127.0.0.1"
HTTP_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
API_KEY = "sk_test_sandbox"
REFUND_PAGE_SIZE = 100  # Stripe's maximum
FaultMode = Literal["fail_before", "fail_after"]


def localstripe_python() -> str:
    """The interpreter that has localstripe: ``$LOCALSTRIPE_PYTHON``, else ``.venv-localstripe``."""
    return os.environ.get(PYTHON_ENV_VAR) or str(DEFAULT_PYTHON)


@dataclass
class LocalStripe:
    """A running localstripe: its base URL (use it as the Stripe API base) and its process."""

    url: str
    process: subprocess.Popen[str]
    _stderr: IO[bytes] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Terminate the process (it shuts down on SIGTERM), killing it if it lingers."""
        _terminate(self.process)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def stderr_text(self) -> str:
        """What the process has logged so far (tracebacks land here), for debugging a failure."""
        return _read_all(self._stderr) if self._stderr is not None else ""

    def flush(self, *, settle_timeout: float = 5.0) -> None:
        """Wait for webhooks still in flight, then delete every object and fault. Receivers stay.

        Waiting first keeps one test's late events (sent about a second after they happen) from
        reaching the next test's receiver.
        """
        self.wait_for_deliveries(settle_timeout)
        self._config("DELETE", "/_config/data")
        self.clear_faults()

    def wait_for_deliveries(self, timeout: float = 5.0) -> bool:
        """Block until no webhook delivery is in flight (or ``timeout``); True when none is left."""
        deadline = time.monotonic() + timeout
        while True:
            if self._config("GET", "/_config/webhooks/pending").json()["pending"] == 0:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def register_webhook(
        self, url: str, secret: str, *, hook_id: str = "commerce", events: list[str] | None = None
    ) -> None:
        """Register (or replace) receiver ``hook_id``: localstripe then POSTs signed events to ``url``.

        ``events`` limits the event types sent (all when None); a list matching nothing mutes it,
        since receivers cannot be deleted.
        """
        payload: dict[str, Any] = {"url": url, "secret": secret}
        if events is not None:
            payload["events"] = events
        self._config("POST", f"/_config/webhooks/{hook_id}", json=payload)

    def complete_session(self, session_id: str) -> dict[str, Any]:
        """Test hook: pay an open Checkout Session with a succeeding card; returns the session.

        Like paying on the hosted page, it emits ``payment_intent.succeeded`` and a signed
        ``checkout.session.completed``. A session that is not open gives a 400.
        """
        return self._config("POST", f"/_config/checkout/sessions/{session_id}/complete").json()

    # -- fault switches (sandbox/localstripe_ext/faults.py) ---------------------------------------

    def arm_fault(
        self, method: str, path: str, *, mode: FaultMode, count: int = 1, status: int = 500
    ) -> dict[str, Any]:
        """Make the next ``count`` ``method`` calls to ``path`` fail with ``status``; returns the fault.

        ``mode="fail_before"``: answered at once, nothing happens. ``mode="fail_after"``: the call
        runs (a refund *is* created), then its answer is replaced by a Stripe-like error, as when a
        response is lost. ``path`` may use ``fnmatch`` wildcards (``/v1/refunds/*``); ``/_config/``
        paths cannot be faulted. ``flush()`` clears all faults.
        """
        payload = {"method": method, "path": path, "mode": mode, "count": count, "status": status}
        return self._config("POST", "/_config/faults", json=payload).json()

    def armed_faults(self) -> list[dict[str, Any]]:
        """The faults still armed, each with its ``remaining`` count."""
        return self._config("GET", "/_config/faults").json()["faults"]

    def clear_faults(self) -> None:
        self._config("DELETE", "/_config/faults")

    # -- refunds (sandbox/localstripe_ext/refunds.py) ---------------------------------------------

    def refunds(self, payment_intent: str | None = None) -> list[dict[str, Any]]:
        """Every refund (of ``payment_intent`` when given), newest first, all pages read."""
        params: dict[str, Any] = {"limit": REFUND_PAGE_SIZE}
        if payment_intent is not None:
            params["payment_intent"] = payment_intent
        found: list[dict[str, Any]] = []
        while True:
            page = self._api("GET", "/v1/refunds", params=params).json()
            found.extend(page["data"])
            if not page["has_more"] or not page["data"]:
                return found
            params["starting_after"] = page["data"][-1]["id"]

    def send_refund_events(
        self, refund_id: str, types: list[str], *, status: str | None = None, failure_reason: str | None = None
    ) -> list[dict[str, str]]:
        """Schedule signed events about a refund (localstripe sends none); returns ``[{id, type}]``.

        Types: ``charge.refunded`` (carries the Charge), ``refund.created``, ``refund.updated``,
        ``refund.failed``, ``charge.refund.updated`` (carry the Refund). ``status`` first sets the
        refund's status (e.g. ``"failed"``, with an optional ``failure_reason``), so the events and
        later reads show it. Delivered about a second later, like localstripe's own events.
        """
        payload: dict[str, Any] = {"types": list(types)}
        if status is not None:
            payload["status"] = status
        if failure_reason is not None:
            payload["failure_reason"] = failure_reason
        return self._config("POST", f"/_config/refunds/{refund_id}/events", json=payload).json()["events"]

    def dashboard_refund(self, payment_intent: str, amount: int | None = None) -> dict[str, Any]:
        """Refund as an operator would in the Stripe dashboard: no metadata of ours, then
        ``charge.refunded`` and ``refund.updated`` are sent. Without ``amount``, what is left."""
        payload: dict[str, Any] = {"payment_intent": payment_intent}
        if amount is not None:
            payload["amount"] = amount
        return self._config("POST", "/_config/dashboard_refund", json=payload).json()

    def _api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        # Any sk_ key authenticates with localstripe.
        headers = {"Authorization": f"Bearer {API_KEY}"}
        response = requests.request(method, self.url + path, headers=headers, timeout=HTTP_TIMEOUT_S, **kwargs)
        response.raise_for_status()
        return response

    def _config(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        # /_config/ endpoints need no API key.
        response = requests.request(method, self.url + path, timeout=HTTP_TIMEOUT_S, **kwargs)
        response.raise_for_status()
        return response


def _terminate(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_all(stream: IO[bytes]) -> str:
    # The child writes through the same open file (shared offset): pread leaves the offset alone,
    # where seek() would make the child overwrite its own log.
    fd = stream.fileno()
    return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", errors="replace")


def _start_reading_first_line(process: subprocess.Popen[str]) -> tuple[threading.Thread, list[str]]:
    """Read the first stdout line in a thread (readline has no timeout); it lands in the list."""
    stdout = process.stdout
    assert stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    return reader, lines


def start_localstripe(*, python: str | None = None, port: int = 0, timeout: float = 15.0) -> LocalStripe:
    """Start localstripe on ``127.0.0.1:port`` (0: a free port) and wait until it listens.

    Raises FileNotFoundError when the interpreter is missing and RuntimeError (with the process's
    stderr) when it exits or stays silent for ``timeout`` seconds.
    """
    python = python or localstripe_python()
    if not Path(python).exists():
        raise FileNotFoundError(
            f"No localstripe interpreter at {python}: create .venv-localstripe (`make test` does) "
            f"or set {PYTHON_ENV_VAR}."
        )
    # stderr goes to a file, not a pipe: nobody reads it while tests run, and a full pipe would
    # block the server. -I (isolated): ignore PYTHONPATH and friends from the main environment.
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 (owned by the returned LocalStripe)
    process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        [python, "-I", str(WRAPPER), str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    reader, lines = _start_reading_first_line(process)
    reader.join(timeout)
    line = lines[0] if lines else None
    if line is None or not line.startswith(READY_PREFIX):
        _terminate(process)
        reader.join(STOP_TIMEOUT_S)  # EOF now: let it finish before closing the pipe under it
        details = _read_all(stderr)
        stderr.close()
        process.stdout.close()  # type: ignore[union-attr]
        reason = f"did not report its port within {timeout:g} s" if line is None else "exited before listening"
        raise RuntimeError(f"localstripe ({python} {WRAPPER}) {reason}; stdout: {line!r}; stderr:\n{details}")
    port = int(line.strip()[len(READY_PREFIX) :])
    return LocalStripe(url=f"http://{HOST}:{port}", process=process, _stderr=stderr)

"""Fault injection and the call log, via the Python helpers, the control endpoints and the command."""
from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command

from sandbox.lms.faults import arm_fault, clear_faults
from sandbox.lms.models import ApiCall, Fault

COURSES = "/api/enrollment/v1/course/course-v1:SandboxT+Enroll101+2026"


def test_503_fault_is_consumed_then_the_lms_answers_normally(client, course_run):
    arm_fault("503", 2)
    first, second, third = (client.get(COURSES) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json() == {"detail": "Service unavailable (sandbox fault)"}
    assert Fault.objects.get().remaining == 0


def test_429_fault_carries_retry_after(client, course_run):
    arm_fault("429", 1)
    response = client.get(COURSES)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert client.get(COURSES).status_code == 200


def test_stall_fault_delays_then_answers(client, course_run):
    arm_fault("stall", 1, stall_seconds=0.3)
    started = time.monotonic()
    response = client.get(COURSES)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_faults_apply_to_oauth2_only_with_a_matching_prefix(client, db):
    arm_fault("503", 1, path_prefix="/oauth2/")
    assert client.get("/api/enrollment/v1/course/course-v1:A+B+C").status_code == 400
    assert client.post("/oauth2/access_token", {"grant_type": "client_credentials"}).status_code == 503


def test_oldest_fault_fires_first(client, course_run):
    arm_fault("429", 1)
    arm_fault("503", 1)
    assert [client.get(COURSES).status_code for _ in range(3)] == [429, 503, 200]


def test_faults_never_touch_admin_or_control_paths(client, db):
    arm_fault("503", 5, path_prefix="/")
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/sandbox/calls").status_code == 200
    assert Fault.objects.get().remaining == 5


def test_clear_faults_disarms_everything(client, course_run):
    arm_fault("503", 3)
    clear_faults()
    assert client.get(COURSES).status_code == 200


@pytest.mark.parametrize("kind, count", [("500", 1), ("503", 0)])
def test_arm_fault_rejects_bad_input(db, kind, count):
    with pytest.raises(ValueError):
        arm_fault(kind, count)


def test_every_api_and_oauth_call_is_logged_with_status_and_caller(api_as, client, bob, course_run):
    arm_fault("503", 1)
    client.get(COURSES)
    api_as(bob).get("/api/enrollment/v1/enrollment", {"user": "bob"})
    client.post("/oauth2/access_token", {"grant_type": "nope"})
    client.get("/")

    calls = list(ApiCall.objects.values_list("method", "path", "query", "status", "username"))
    assert calls == [
        ("GET", COURSES, "", 503, ""),
        ("GET", "/api/enrollment/v1/enrollment", "user=bob", 200, "bob"),
        ("POST", "/oauth2/access_token", "", 400, ""),
    ]


def test_control_endpoint_arms_and_clears_faults(client, course_run):
    response = client.post("/sandbox/faults", json.dumps({"kind": "503", "count": 1}), content_type="application/json")
    assert response.status_code == 201
    assert client.get(COURSES).status_code == 503
    client.post("/sandbox/faults", json.dumps({"kind": "429", "count": 4}), content_type="application/json")
    assert client.delete("/sandbox/faults").status_code == 204
    assert client.get(COURSES).status_code == 200


def test_control_endpoint_rejects_a_bad_fault(client, db):
    response = client.post("/sandbox/faults", json.dumps({"kind": "418"}), content_type="application/json")
    assert response.status_code == 400


def test_control_endpoint_lists_filters_and_clears_calls(client, course_run):
    client.get(COURSES)
    client.post("/oauth2/access_token", {})
    listing = client.get("/sandbox/calls", {"method": "get", "path_prefix": "/api/"}).json()
    assert listing["count"] == 1
    assert listing["calls"][0]["path"] == COURSES and listing["calls"][0]["status"] == 200
    assert client.get("/sandbox/calls").json()["count"] == 2
    assert client.delete("/sandbox/calls").status_code == 204
    assert ApiCall.objects.count() == 0


def test_control_endpoints_answer_loopback_only(client, db):
    assert client.get("/sandbox/calls", REMOTE_ADDR="10.0.0.8").status_code == 404
    assert client.get("/sandbox/calls", REMOTE_ADDR="::1").status_code == 200


def test_control_endpoints_can_be_switched_off(client, db, settings):
    settings.SANDBOX_CONTROL_ENDPOINTS = False
    assert client.get("/sandbox/calls").status_code == 404
    assert client.delete("/sandbox/faults").status_code == 404


def test_control_endpoints_need_no_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/sandbox/faults",
        json.dumps({"kind": "stall", "count": 1, "stall_seconds": 0}),
        content_type="application/json",
    )
    assert response.status_code == 201


def test_sandbox_fault_command_arms_and_clears(db, capsys):
    call_command("sandbox_fault", "503", "--count", "3", "--path-prefix", "/oauth2/")
    fault = Fault.objects.get()
    assert (fault.kind, fault.remaining, fault.path_prefix) == ("503", 3, "/oauth2/")
    call_command("sandbox_fault", "--clear")
    assert Fault.objects.count() == 0
    assert "cleared" in capsys.readouterr().out


def test_a_path_longer_than_the_log_column_is_answered_and_logged_cut(client, db):
    """Issue 11.16: the call log gave a 500 on paths over 1,024 characters."""
    from sandbox.lms.models import ApiCall

    path = "/api/enrollment/v1/enrollment/" + "x" * 2000
    response = client.get(path)

    assert response.status_code < 500  # the APPEND_SLASH redirect, as the LMS would answer
    logged = ApiCall.objects.get()
    assert logged.path == path[:1024]


def test_the_server_accepts_a_burst_of_simultaneous_connections():
    """Issue 11.16: Django's backlog of 10 reset the eleventh connect; the sandbox's server queues 512."""
    import socket

    from sandbox.server import _QuietHandler, _Server

    server = _Server(("127.0.0.1", 0), _QuietHandler, ipv6=False)
    try:
        sockets = [socket.create_connection(server.server_address, timeout=2) for _ in range(64)]
        for sock in sockets:
            sock.close()
    finally:
        server.server_close()
    assert server.request_queue_size >= 64

"""The Tutor plugin, tested without Docker: Tutor's own CLI and API render it in Tutor's virtualenv,
the rendered LMS settings load in the sandbox (the miniature LMS of the repository), and the init
task's commands run against a live sandbox.

Run with ``make test-tutor`` from the repository root: it creates ``.venv-tutor`` (Tutor and
pytest, apart from the Django environment: Tutor upgrades python-dateutil past celery's pin) and
uses ``.venv`` for the sandbox. ``COMMERCE_SANDBOX_PYTHON`` overrides the sandbox interpreter.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
REPO = PLUGIN_ROOT.parent
SANDBOX_PYTHON = os.environ.get("COMMERCE_SANDBOX_PYTHON", str(REPO / ".venv" / "bin" / "python"))
TUTOR = [str(Path(sys.executable).with_name("tutor"))]


def tutor(root: Path, *args: str) -> str:
    """Run the Tutor CLI on the project at ``root``; return its standard output."""
    done = subprocess.run([*TUTOR, *args], env={**os.environ, "TUTOR_ROOT": str(root)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def project(tmp_path):
    """A Tutor project with the plugin enabled and its environment rendered."""
    root = tmp_path / "tutor"
    tutor(root, "plugins", "enable", "commerce")
    tutor(root, "config", "save")
    return root


def _config(root: Path) -> dict:
    return yaml.safe_load((root / "config.yml").read_text())


def _plugin_version() -> str:
    text = (REPO / "commerce_plugin" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def test_the_install_is_exact_pinned_to_the_plugin_release_in_both_images(project):
    version = tutor(project, "config", "printvalue", "COMMERCE_VERSION").strip()
    assert version == _plugin_version()
    for dockerfile in ("build/openedx/Dockerfile",):
        text = (project / "env" / dockerfile).read_text()
        assert f'$PIP_COMMAND install "commerce-plugin=={version}"' in text
    assert f'"commerce-plugin=={version}"' in tutor(
        project, "config", "patches", "show", "openedx-dev-dockerfile-post-python-requirements")


def test_the_client_secret_is_generated_once_and_stripe_has_no_default(project):
    secret = _config(project)["COMMERCE_LMS_OAUTH_CLIENT_SECRET"]
    assert re.fullmatch(r"[A-Za-z0-9]{32}", secret)
    tutor(project, "config", "save")
    assert _config(project)["COMMERCE_LMS_OAUTH_CLIENT_SECRET"] == secret  # stored, not regenerated
    assert tutor(project, "config", "printvalue", "COMMERCE_STRIPE_SECRET_KEY").strip() == ""
    assert tutor(project, "config", "printvalue", "COMMERCE_STRIPE_WEBHOOK_SECRET").strip() == ""


def test_the_lms_settings_are_patched_in_production_and_development(project):
    for name in ("production.py", "development.py"):
        text = (project / "env" / "apps" / "openedx" / "settings" / "lms" / name).read_text()
        assert 'COMMERCE_LMS_BASE_URL = "http://lms:8000"' in text
        assert "CELERY_BEAT_SCHEDULE[\"commerce-process-due-syncs\"]" in text


def test_the_beat_service_runs_unless_switched_off(project):
    compose = yaml.safe_load((project / "env" / "local" / "docker-compose.yml").read_text())
    beat = compose["services"]["lms-commerce-beat"]
    assert beat["command"].startswith("celery --app=lms.celery beat")
    assert beat["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.production"

    tutor(project, "config", "save", "--set", "COMMERCE_RUN_BEAT=false")
    compose = yaml.safe_load((project / "env" / "local" / "docker-compose.yml").read_text())
    assert "lms-commerce-beat" not in compose["services"]
    assert "CELERY_BEAT_SCHEDULE" not in tutor(project, "config", "patches", "show", "openedx-lms-common-settings")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sandbox_settings(tmp_path: Path, patch: str) -> dict[str, str]:
    """A settings module: the sandbox's, then the rendered patch, as Tutor's production.py stacks them."""
    module = tmp_path / "tutor_rendered_settings.py"
    module.write_text(
        "from sandbox.settings.demo import *  # noqa\n"
        f"DATABASES['default']['NAME'] = {str(tmp_path / 'lms.sqlite3')!r}\n"
        "DATABASES['default']['ATOMIC_REQUESTS'] = True\n"
        f"{patch}\n")
    return {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
            "DJANGO_SETTINGS_MODULE": "tutor_rendered_settings"}


def test_the_rendered_settings_load_in_the_sandbox(project, tmp_path):
    tutor(project, "config", "save", "--set", 'COMMERCE_STRIPE_SECRET_KEY=sk_test_with"quote\\and backslash')
    env = _sandbox_settings(tmp_path, tutor(project, "config", "patches", "show", "openedx-lms-common-settings"))
    probe = ("import json; from django.conf import settings as s; print(json.dumps({"
             "'secret': s.COMMERCE_STRIPE_SECRET_KEY, 'client': s.COMMERCE_LMS_OAUTH_CLIENT_SECRET, "
             "'beat': sorted(v['task'] for v in s.CELERY_BEAT_SCHEDULE.values())}))")
    done = subprocess.run([SANDBOX_PYTHON, str(REPO / "manage.py"), "shell", "-c", probe], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    import json

    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["secret"] == 'sk_test_with"quote\\and backslash'
    assert loaded["client"] == _config(project)["COMMERCE_LMS_OAUTH_CLIENT_SECRET"]
    assert loaded["beat"] == ["commerce_plugin.tasks.apply_access_windows", "commerce_plugin.tasks.expire_orders",
                              "commerce_plugin.tasks.process_due_refunds", "commerce_plugin.tasks.process_due_syncs",
                              "commerce_plugin.tasks.process_due_webhooks"]
    check = subprocess.run([SANDBOX_PYTHON, str(REPO / "manage.py"), "check"], env=env,
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def _init_script(root: Path) -> str:
    """The plugin's LMS init task, rendered with the project's config as ``tutor local do init`` does."""
    from tutor import config as tutor_config
    from tutor import env as tutor_env
    from tutor import hooks

    hooks.Actions.CORE_READY.do()  # discovers the installed plugins, as the CLI does at start-up
    hooks.Actions.PROJECT_ROOT_READY.do(str(root))
    config = tutor_config.load(str(root))  # enables the plugins listed in config.yml
    tasks = [task for service, task in hooks.Filters.CLI_DO_INIT_TASKS.iterate() if "commerce_lms_check" in task]
    assert len(tasks) == 1 and "manage_user" in tasks[0]
    return tutor_env.render_str(config, tasks[0])


def test_the_init_task_creates_the_service_user_and_app_and_the_check_passes(project, tmp_path):
    port = _free_port()
    tutor(project, "config", "save", "--set", f"COMMERCE_LMS_BASE_URL=http://127.0.0.1:{port}")
    env = _sandbox_settings(tmp_path, tutor(project, "config", "patches", "show", "openedx-lms-common-settings"))
    server = subprocess.Popen([SANDBOX_PYTHON, "-m", "sandbox", "serve", "--port", str(port), "--migrate",
                               "--settings", "tutor_rendered_settings"], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "SANDBOX_URL=" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line or server.poll() is None, "the sandbox stopped before serving"
        assert "SANDBOX_URL=" in line
        # As Tutor's lms container runs it, with the sandbox's manage.py standing in for the LMS's.
        script = _init_script(project).replace("./manage.py lms ", f"{SANDBOX_PYTHON} {REPO / 'manage.py'} ")
        done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120,
                              cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "Service user: commerce_service (staff: True)" in done.stdout, done.stdout + done.stderr
        assert "reported problems" not in done.stdout
        again = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120,
                               cwd=tmp_path)
        assert again.returncode == 0 and "Service user: commerce_service (staff: True)" in again.stdout  # re-runnable
    finally:
        server.terminate()
        server.wait(timeout=20)

"""The plugin's dependency floors are ones the LMS's own pins satisfy (ADR 0011).

The LMS installs the plugin into its pinned virtualenv: a floor above an LMS pin makes pip
upgrade the LMS's packages (or refuse), and a floor below the API we call lets pip keep a
version that breaks the LMS at import. The second half is what the tox ``lms-*`` environments
prove by running the suite at the pins; this test keeps the floors themselves honest.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PIN_FILES = sorted((REPO / "requirements" / "lms").glob("*.txt"))
# The plugin owns this one: the platform does not depend on stripe (stripe-and-services.md).
NOT_IN_THE_LMS = {"stripe"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _floors() -> list[Requirement]:
    lines = (REPO / "requirements" / "base.in").read_text(encoding="utf-8").splitlines()
    return [Requirement(line.split("#", 1)[0].strip()) for line in lines
            if line.split("#", 1)[0].strip() and not line.startswith("-")]


def _pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            found[_canonical(name)] = version.strip()
    return found


def test_both_lms_lines_are_committed_with_their_commit():
    assert [path.name for path in PIN_FILES] == ["master.txt", "ulmo.txt"]
    for path in PIN_FILES:
        assert re.match(r"# subset of openedx/openedx-platform requirements/edx/base.txt @[0-9a-f]{7,}",
                        path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("pin_file", PIN_FILES, ids=lambda path: path.stem)
def test_every_floor_is_satisfied_by_the_lms_pins(pin_file):
    pins = _pins(pin_file)
    for requirement in _floors():
        name = _canonical(requirement.name)
        if name in NOT_IN_THE_LMS:
            assert name not in pins, f"the LMS now pins {name}: its floor must fit {pins[name]}"
            continue
        assert name in pins, f"{name} is not in {pin_file.name}: refresh it with make upgrade-lms-pins"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{requirement} is not satisfied by the LMS's {name}=={pins[name]} ({pin_file.name})")


def test_floors_are_lower_bounds_only():
    for requirement in _floors():
        if _canonical(requirement.name) in NOT_IN_THE_LMS:
            continue
        operators = {spec.operator for spec in requirement.specifier}
        assert operators == {">="}, f"{requirement}: the LMS's pins decide the version, we set floors only"


def test_upgrade_lms_pins_keeps_our_closure_strips_extras_and_names_the_commit(tmp_path):
    import importlib.util
    import subprocess

    spec = importlib.util.spec_from_file_location("lms_pins", REPO / "scripts" / "lms_pins.py")
    lms_pins = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lms_pins)
    platform = tmp_path / "openedx-platform"
    (platform / "requirements" / "edx").mkdir(parents=True)
    (platform / "requirements" / "edx" / "base.txt").write_text(
        "celery[redis]==5.6.2\n    # via -r requirements/edx/kernel.in\nDjango==5.2.11\nxblock==5.0.0\n")
    subprocess.run(["git", "init", "-q", str(platform)], check=True)
    subprocess.run(["git", "-C", str(platform), "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "commit", "-q", "--allow-empty", "-m", "pins"], check=True)
    commit = subprocess.run(["git", "-C", str(platform), "rev-parse", "--short=8", "HEAD"],
                            check=True, capture_output=True, text=True).stdout.strip()

    text = lms_pins.render(platform, "3.11")

    assert text.splitlines()[0] == (
        f"# subset of openedx/openedx-platform requirements/edx/base.txt @{commit} (pip-compile Python 3.11)")
    assert "celery==5.6.2" in text.splitlines() and "django==5.2.11" in text.splitlines()
    assert "xblock" not in text  # not in the plugin's closure

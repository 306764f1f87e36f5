"""Refresh ``requirements/lms/<line>.txt`` from an openedx-platform checkout (``make upgrade-lms-pins``).

The files are pip constraints: the LMS's own pins (``requirements/edx/base.txt``) of the packages
that can enter the plugin's dependency closure (every package named in our compiled
``requirements/base.txt`` and ``requirements/test.txt``), with extras stripped because pip refuses
extras in constraints. The header names the LMS commit, so a reader knows which LMS they stand for.

Usage: ``python scripts/lms_pins.py <platform checkout> <line> [<python>]``, for example
``python scripts/lms_pins.py ../openedx-platform ulmo 3.11``.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>\S+)")


def canonical(name: str) -> str:
    """PEP 503 name, so ``PyJWT`` and ``pyjwt`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """``name -> version`` of every ``name==version`` line (extras dropped, comments ignored)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found[canonical(match["name"])] = match["version"]
    return found


def closure() -> set[str]:
    """The packages our own locks hold: everything the plugin and its tests can pull in."""
    names: set[str] = set()
    for lock in ("base.txt", "test.txt"):
        names |= set(pins(REPO / "requirements" / lock))
    return names


def render(platform: Path, python: str) -> str:
    """The constraints file's text for the checkout at ``platform``."""
    commit = subprocess.run(["git", "-C", str(platform), "rev-parse", "--short=8", "HEAD"],
                            check=True, capture_output=True, text=True).stdout.strip()
    platform_pins = pins(platform / "requirements" / "edx" / "base.txt")
    wanted = closure()
    lines = [
        f"# subset of openedx/openedx-platform requirements/edx/base.txt @{commit} (pip-compile Python {python})",
        "# extras stripped (pip refuses extras in constraints); only packages that can enter the plugin's closure",
        "# refreshed by `make upgrade-lms-pins`; used as PIP_CONSTRAINT by the tox lms-* environments",
    ]
    lines += [f"{name}=={platform_pins[name]}" for name in sorted(wanted & set(platform_pins))]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    platform, line = Path(argv[1]), argv[2]
    python = argv[3] if len(argv) == 4 else ("3.11" if line == "ulmo" else "3.12")
    if not (platform / "requirements" / "edx" / "base.txt").is_file():
        print(f"{platform} is not an openedx-platform checkout (no requirements/edx/base.txt)", file=sys.stderr)
        return 2
    target = REPO / "requirements" / "lms" / f"{line}.txt"
    target.write_text(render(platform, python), encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

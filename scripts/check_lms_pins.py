"""Fail unless this environment really holds the LMS's pinned versions (tox ``lms-*`` environments).

A constraints file that pip silently ignored would make the LMS run green on our own lock again,
which is exactly the mistake ADR 0011 is about. This prints the versions that matter and exits
non-zero when an installed package differs from its LMS pin.

Usage: ``python scripts/check_lms_pins.py requirements/lms/ulmo.txt``.
"""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from lms_pins import canonical, pins


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    wanted = pins(Path(argv[1]))
    installed = {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    wrong = {name: (installed[name], version) for name, version in wanted.items()
             if name in installed and installed[name] != version}
    for name in ("django", "djangorestframework", "edx-drf-extensions", "edx-django-utils",
                 "edx-opaque-keys", "edx-rest-api-client", "openedx-events", "openedx-filters", "celery"):
        print(f"  {name:22} {installed.get(name, 'not installed'):12} (LMS pin {wanted.get(name, '-')})")
    for name, (have, pin) in sorted(wrong.items()):
        print(f"  MISMATCH {name}: installed {have}, the LMS pins {pin}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

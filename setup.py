"""Packaging for commerce_plugin, an Open edX LMS plugin (``lms.djangoapp`` entry point)."""
from __future__ import annotations

import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def get_version() -> str:
    """Read ``__version__`` from the package without importing it (Django may not be installed yet)."""
    with open(os.path.join(HERE, "commerce_plugin", "__init__.py"), encoding="utf-8") as handle:
        match = re.search(r'^__version__ = ["\']([^"\']+)["\']', handle.read(), re.M)
    if not match:
        raise RuntimeError("commerce_plugin/__init__.py has no __version__")
    return match.group(1)


def load_requirements(path: str) -> list[str]:
    """Read the lower-bound requirements from a ``.in`` file (comments, ``-c`` and ``-r`` lines skipped).

    The LMS installs the plugin into its own pinned virtualenv, so install_requires carries
    floors only, never pins: the platform's pins decide the versions.
    """
    requirements = []
    with open(os.path.join(HERE, path), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                requirements.append(line)
    return requirements


with open(os.path.join(HERE, "README.rst"), encoding="utf-8") as readme:
    LONG_DESCRIPTION = readme.read()

setup(
    name="commerce-plugin",
    version=get_version(),
    description="Sell Open edX course runs with Stripe: orders, refunds, access rules, enrollment through LMS APIs.",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/x-rst",
    license="AGPL-3.0",
    packages=find_packages(include=["commerce_plugin", "commerce_plugin.*"]),
    include_package_data=True,
    python_requires=">=3.11",
    install_requires=load_requirements("requirements/base.in"),
    entry_points={
        "lms.djangoapp": [
            "commerce_plugin = commerce_plugin.apps:CommercePluginConfig",
        ],
    },
    classifiers=[
        "Development Status :: 3 - Alpha",
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Intended Audience :: Education",
        "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
    zip_safe=False,
)

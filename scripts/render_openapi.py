"""Write the REST API reference (``docs/reference/openapi.yaml``) from the live schema view.

``make docs-api`` runs it; ``tests/rest_api/test_schema.py`` fails when the committed file and
the views disagree, so the reference integrators read is always the API that ships.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "reference" / "openapi.yaml"


def render() -> str:
    """The OpenAPI document as the plugin serves it at ``/api/commerce_plugin/v1/schema/``."""
    from django.test import RequestFactory

    from commerce_plugin.rest_api.v1.schema import SchemaView

    # The view itself, without the host's middleware: the document depends on the views only.
    response = SchemaView.as_view()(RequestFactory().get("/api/commerce_plugin/v1/schema/"))
    response.render()
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.test")
    import django

    django.setup()
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

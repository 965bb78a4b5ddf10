"""The API refuses a provider of another region than the initiative's (issue 13; the web form:
tests/web/test_provider_region.py)."""

from __future__ import annotations

from tests.api.test_api import NEW
from tests.web.test_provider_region import OUTSIDE


def test_the_api_refuses_a_provider_of_another_region_with_problem_json(api_as):
    refused = api_as("menzis@demo.nl").post("/api/v1/initiatives", json={**NEW, "providers": ["ZH-TWENTE", "VVT-NIJMEGEN"]})
    assert refused.status_code == 422
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert any(OUTSIDE in message and "Wijkverpleging Nijmegen (demo)" in message
               for message in refused.get_json()["errors"]["providers"])

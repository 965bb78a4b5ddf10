"""'What if' through the API (issue 12): POST /api/v1/criteria/what-if, checked against the document."""

from __future__ import annotations

from tests.web.test_what_if import ADMIN, LEAD, MEDIATOR, _recorded, declined  # noqa: F401 (the fixture)


def test_the_api_reassesses_without_storing(app, demo, api_as, declined):  # noqa: F811
    mediator, admin_api, lead = api_as(MEDIATOR), api_as(ADMIN), api_as(LEAD)  # tokens first: they are audited
    with app.app_context():
        before = _recorded(demo)
    response = mediator.post("/api/v1/criteria/what-if", json={"weights": {"financial": 2}, "case": declined["case"]})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["declines"], body["becomes_weighty"], body["weighty_recorded"], body["weighty_proposed"]) == (2, 1, 1, 2)
    dsw = next(i for i in body["items"] if i["insurer"] == "DSW")
    assert dsw["recorded"] == {"score": 3, "threshold": 6, "weighty": False}
    assert dsw["proposed"] == {"score": 2 * 3, "threshold": 6, "weighty": True} and dsw["changes"] is True
    assert body["items"][0] == dsw  # changed verdicts first
    admin = admin_api.post("/api/v1/criteria/what-if", json={"threshold": 9}).get_json()
    assert (admin["declines"], admin["becomes_insufficient"]) == (2, 1)
    assert admin_api.post("/api/v1/criteria/what-if", json={"case": declined["case"]}).status_code == 404
    assert lead.post("/api/v1/criteria/what-if", json={}).status_code == 403
    bad = mediator.post("/api/v1/criteria/what-if", json={"weights": {"financial": 11, "nope": 1}, "extra": 1})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"weights-financial", "extra"}  # the schema's
    unknown = mediator.post("/api/v1/criteria/what-if", json={"weights": {"nope": 1}})
    assert unknown.status_code == 422 and set(unknown.get_json()["errors"]) == {"weight-nope"}  # the service knows
    with app.app_context():
        assert _recorded(demo) == before

"""Market-share sets through the API (issue 14): read by everyone as the regions' pages show them,
imported by an administrator all or nothing, every bad line in the 422."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, MarketShare, MarketShareSet

ADMIN = "beheerder@demo.nl"
GOOD = "regio,verzekeraar,verzekerden\nZK22,VGZ,500\nZK22,CZ,400\n"


def _counts(demo) -> tuple[int, int]:
    return (demo.session.scalar(sa.select(sa.func.count(MarketShareSet.id))),
            demo.session.scalar(sa.select(sa.func.count(MarketShare.id))))


def test_everyone_reads_the_sets_in_force_and_before(app, demo, api_as):
    listed = api_as("ziekenhuis@demo.nl").get("/api/v1/market-share-sets")
    assert listed.status_code == 200
    (demo_set,) = listed.get_json()["items"]
    assert demo_set["illustrative"] is True
    one = api_as("vgz@demo.nl").get(f"/api/v1/market-share-sets/{demo_set['id']}").get_json()
    with app.app_context():
        rows = demo.session.scalar(sa.select(sa.func.count(MarketShare.id)).where(MarketShare.set_id == demo_set["id"]))
    assert len(one["shares"]) == rows and {"region": "ZK22", "insurer": "MENZIS"}.items() <= next(
        s for s in one["shares"] if (s["region"], s["insurer"]) == ("ZK22", "MENZIS")).items()


def test_the_admin_imports_a_set_and_a_later_one_stays_the_admins_until_its_day(app, demo, api_as):
    admin = api_as(ADMIN)
    made = admin.post("/api/v1/market-share-sets", json={"peildatum": "01-06-2027", "source": "Vektis 2027",
                                                           "file": GOOD})
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["peildatum"], made.get_json()["source"]) == ("2027-06-01", "Vektis 2027")
    set_id = made.get_json()["id"]
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "market_shares.import", AuditEntry.object_id == str(set_id))) == 1
    shares = admin.get(f"/api/v1/market-share-sets/{set_id}").get_json()["shares"]
    assert sorted((s["insurer"], s["insured"]) for s in shares) == [("CZ", 400), ("VGZ", 500)]
    # Its peildatum is still to come: only the admin sees it (as only the admin's page lists it).
    insurer = api_as("menzis@demo.nl")
    assert set_id not in [s["id"] for s in insurer.get("/api/v1/market-share-sets").get_json()["items"]]
    assert insurer.get(f"/api/v1/market-share-sets/{set_id}").status_code == 404
    # A second set on the same peildatum is never written over.
    again = admin.post("/api/v1/market-share-sets", json={"peildatum": "2027-06-01", "source": "x", "file": GOOD})
    assert again.status_code == 409


def test_a_bad_file_names_every_bad_line_and_imports_nothing(app, demo, api_as):
    with app.app_context():
        before = _counts(demo)
    refused = api_as(ADMIN).post("/api/v1/market-share-sets", json={
        "peildatum": "2026-01-01", "source": "Vektis",
        "file": "regio,verzekeraar,verzekerden\nZK22,VGZ,500\nZK22,Onbekend,4\nZK22,CZ,-1\n"})
    assert refused.status_code == 422
    lines = refused.get_json()["errors"]["file"]
    assert any(line.startswith("Regel 3") for line in lines) and any(line.startswith("Regel 4") for line in lines)
    for sent, key in (({"peildatum": "2026-13-45", "source": "x", "file": GOOD}, "peildatum"),
                      ({"peildatum": "2026-01-01", "source": "", "file": GOOD}, "file"),  # the service's check
                      ({"peildatum": "2026-01-01", "source": "x" * 1001, "file": GOOD}, "source"),
                      ({"peildatum": "2026-01-01", "file": GOOD}, "source")):
        answer = api_as(ADMIN).post("/api/v1/market-share-sets", json=sent)
        assert answer.status_code == 422 and answer.get_json()["errors"][key], (sent, answer.get_json())
    with app.app_context():
        assert _counts(demo) == before


def test_only_the_admin_imports(app, demo, api_as):
    for email in ("menzis@demo.nl", "bemiddelaar@demo.nl"):
        answer = api_as(email).post("/api/v1/market-share-sets", json={"peildatum": "2026-01-01", "source": "x",
                                                                        "file": GOOD})
        assert answer.status_code == 403
    with app.app_context():
        assert _counts(demo)[0] == 1

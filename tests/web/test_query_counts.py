"""The list, detail and queue pages make a fixed number of SQL queries, whatever the data size."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from innovatieregister.models import Initiative
from innovatieregister.services import adoption, decisions, initiatives, mediation
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from tests import flows


def _grow(app, db, count: int) -> int:
    """Add `count` opened initiatives with decisions (several versions) by five insurers."""
    with app.app_context():
        menzis = flows.user(db, "menzis@demo.nl")
        providers = [p.id for p in initiatives.provider_choices() if p.code in ("ZH-TWENTE", "VVT-TWENTE")]
        last = None
        for i in range(count):
            initiative = initiatives.register(menzis, InitiativeInput(
                title=f"Initiatief {i}", region_code="ZK22", kind="innovation", phase="scale_up",
                provider_ids=providers,
                cost_lines=[CostLineInput("staff", "Personeel", f"{1000 + i}.00"),
                            CostLineInput("ict", "ICT", "250.50")]), flows.TODAY)
            initiatives.open_for_decisions(menzis, initiative.id, flows.TODAY, _now())
            for email in ("vgz@demo.nl", "cz@demo.nl", "dsw@demo.nl"):
                decisions.decide(flows.user(db, email), initiative.id, "follow", "", [], None, flows.TODAY)
            decisions.decide(flows.user(db, "asr@demo.nl"), initiative.id, "decline", "", flows.WEIGHTY, None,
                             flows.TODAY)
            decisions.decide(flows.user(db, "asr@demo.nl"), initiative.id, "decline", "", flows.NOT_WEIGHTY,
                             None, flows.TODAY)
            adoption.request_adoption(flows.user(db, "ziekenhuis@demo.nl"), initiative.id, "ASR", adoption.Impact(
                "ELV", 10, "patients", "2027-12-31"), flows.TODAY)
            mediation.request_mediation(menzis, initiative.id, "disagreement", "Impasse", None)
            flows.add_evaluation(app, db, initiative.id, "on_track")  # the registry shows the latest verdict
            last = initiative.id
        return last


def _now():
    from innovatieregister import clock

    return clock.now()


@contextmanager
def _counting(app, db):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _queries(app, db, client, url: str) -> int:
    client.get(url)  # warm up: the first request may load what later ones have cached
    with _counting(app, db) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_page_queries_do_not_grow_with_the_data(app, client, auth, demo):
    small = _grow(app, demo, 2)
    pages = {
        "vgz@demo.nl": ["/initiatieven/", "/besluiten/", f"/initiatieven/{small}", f"/initiatieven/{small}/besluit",
                        "/register/", "/register/?evaluatie=succesvol", f"/register/{small}", "/overnameverzoeken/"],
        "menzis@demo.nl": ["/initiatieven/", f"/initiatieven/{small}", "/", "/bemiddeling/",
                           f"/initiatieven/{small}/opschalen", f"/initiatieven/{small}/looptijd"],
        "bemiddelaar@demo.nl": ["/bemiddeling/", f"/initiatieven/{small}", "/", "/looptijd/stopcriteria"],
        "ziekenhuis@demo.nl": ["/initiatieven/", f"/initiatieven/{small}", "/overnameverzoeken/"],
    }

    def measure(initiative_id):
        counts = {}
        for email, urls in pages.items():
            auth.login(email)
            for url in urls:
                counts[(email, url.replace(str(small), "ID"))] = _queries(
                    app, demo, client, url.replace(str(small), str(initiative_id)))
        return counts

    at_small = measure(small)
    large = _grow(app, demo, 10)
    at_large = measure(large)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == flows.DEMO_INITIATIVES + 12
    assert at_large == at_small
    assert max(at_small.values()) <= 15, {k: v for k, v in at_small.items() if v > 15}  # and the fixed number is small

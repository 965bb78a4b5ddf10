"""The monitors on the web (issue 10): measurements one by one and by CSV, progress and its chart,
the process log, and who may write what."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.models import AuditEntry, Measurement, Notification, ProcessLogEntry
from tests import flows
from tests.monitor_flows import FUNDER, LEAD, OTHER_PROVIDER, OUTSIDER, PROVIDER, goal_id, outsider, running
from tests.web.test_initiatives import _field_error

MEDIATOR, OTHER_INSURER = "bemiddelaar@demo.nl", "achmea@demo.nl"


def _measure(client, initiative_id, goal, value="2,2", kind="periodic", day="2026-01-01", **extra):
    return client.post(f"/initiatieven/{initiative_id}/monitor/metingen", data={
        "meting-goal": str(goal), "meting-kind": kind, "meting-measured_on": day, "meting-value": value,
        **{f"meting-{name}": text for name, text in extra.items()}})


def _rows(app, db, model, initiative_id) -> list:
    """This initiative's rows (the demo's running innovation has monitors of its own)."""
    with app.app_context():
        return db.session.scalars(sa.select(model).where(model.initiative_id == initiative_id)
                                  .order_by(model.id)).all()


def _values(app, db, initiative_id) -> list:
    return [(m.kind.value, m.value) for m in _rows(app, db, Measurement, initiative_id)]


def test_a_provider_records_a_measurement_and_sees_the_progress(app, client, auth, demo):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    auth.login(PROVIDER)
    response = _measure(client, initiative_id, goal, value="2.200", source="Ziekenhuisregistratie")
    assert response.status_code == 302
    [stored] = _rows(app, demo, Measurement, initiative_id)
    assert (str(stored.value), stored.unit, stored.source) == ("2200.0000", "beddagen", "Ziekenhuisregistratie")
    page = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    # From 2,900 towards 1,500, measured 2,200: half the way.
    assert "<strong>50,0%</strong> van de weg" in page
    assert 'width="300.00"' in page  # the bar, half of 600
    assert re.search(r'<svg role="img" aria-labelledby="chart-\d+-title chart-\d+-desc"', page)
    assert "Metingen: 1 januari 2026: 2.200." in page  # the chart's text alternative
    with app.app_context():
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "measurement.record"))
        assert entry.object_id == str(stored.id) and entry.after["value"] == "2200"
        told = demo.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "monitoring.update"))
        assert flows.user(demo, FUNDER).id in told.all()  # the funder hears of it


def test_past_the_target_the_real_fraction_is_shown_and_the_bar_is_full(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    assert _measure(client, initiative_id, goal_id(app, demo, initiative_id), value="1000").status_code == 302
    page = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    assert "<strong>135,7%</strong> van de weg (voorbij de streefwaarde)" in page  # 1,900 / 1,400
    assert 'width="600.00"' in page


def test_a_goal_without_numbers_says_why_there_is_no_progress(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)  # the demo goal has texts only
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    assert "Geen streefwaarde als getal: voortgang niet te berekenen." in page


def test_bad_input_is_refused_next_to_each_field_and_stores_nothing(app, client, auth, demo):
    initiative_id = running(app, demo)
    with app.app_context():
        from innovatieregister.models import SmartGoal

        foreign_goal = demo.session.scalar(sa.select(sa.func.max(SmartGoal.id))) + 1
    auth.login(PROVIDER)
    response = _measure(client, initiative_id, foreign_goal, value="veel", day="2099-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een doel van dit initiatief." in _field_error(html, "meting-goal")
    assert "ligt in de toekomst" in _field_error(html, "meting-measured_on")
    assert "is geen getal" in _field_error(html, "meting-value")
    assert _rows(app, demo, Measurement, initiative_id) == []


def test_a_value_in_another_unit_than_the_goals_is_refused_at_the_unit(app, client, auth, demo):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)  # measured in beddagen
    auth.login(PROVIDER)
    response = _measure(client, initiative_id, goal, value="9999", unit="euro")
    assert response.status_code == 422
    assert "niet die van het doel (&#39;beddagen&#39;)" in _field_error(response.get_data(as_text=True), "meting-unit")
    assert _rows(app, demo, Measurement, initiative_id) == []
    # The goal's own unit (any case) or none at all is the goal's unit.
    assert _measure(client, initiative_id, goal, value="2200", unit="Beddagen").status_code == 302
    assert _measure(client, initiative_id, goal, value="2100", day="2026-01-02").status_code == 302
    assert [m.unit for m in _rows(app, demo, Measurement, initiative_id)] == ["beddagen", "beddagen"]


def test_a_csv_line_in_another_unit_is_a_bad_line(app, client, auth, demo):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    auth.login(PROVIDER)
    body = f"doel;soort;datum;waarde;eenheid\n{goal};periodiek;2026-01-01;2,2;beddagen\n{goal};eind;2026-01-02;9999;euro\n"
    response = client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                           data={"csv-file": (io.BytesIO(body.encode()), "metingen.csv")})
    assert response.status_code == 422
    assert re.search(r"Regel 3: [^<]*eenheid &#39;euro&#39; is niet die van het doel", response.get_data(as_text=True))
    assert _rows(app, demo, Measurement, initiative_id) == []


@pytest.mark.parametrize(("status", "kind", "expected"), [
    (InitiativeState.OPEN, "baseline", 409),
    (InitiativeState.FULLY_FUNDED, "baseline", 302),
    (InitiativeState.FULLY_FUNDED, "periodic", 409),
    (InitiativeState.PARTIALLY_FUNDED, "baseline", 302),
    (InitiativeState.ACTIVE, "final", 302),
    (InitiativeState.EVALUATED, "periodic", 302),
    (InitiativeState.EXTENDED, "periodic", 302),
    (InitiativeState.ENDED, "final", 409),
])
def test_measurements_follow_the_life_cycle(app, client, auth, demo, status, kind, expected):
    initiative_id = running(app, demo, status)
    auth.login(LEAD)
    response = _measure(client, initiative_id, goal_id(app, demo, initiative_id), kind=kind)
    assert response.status_code == expected
    assert len(_rows(app, demo, Measurement, initiative_id)) == (expected == 302)
    if expected == 409:
        assert "nulmeting" in response.get_data(as_text=True)  # the message says what is possible from here


WRITES = {  # who may: measurements and documents the lead and the providers; the log also the funder
    "measurement": {LEAD, PROVIDER, OTHER_PROVIDER},
    "csv": {LEAD, PROVIDER, OTHER_PROVIDER},
    "log": {LEAD, PROVIDER, OTHER_PROVIDER, FUNDER},
    "document": {LEAD, PROVIDER, OTHER_PROVIDER},
}


def _write(client, app, demo, initiative_id, what):
    goal = goal_id(app, demo, initiative_id)
    if what == "measurement":
        return _measure(client, initiative_id, goal)
    if what == "csv":
        body = f"doel;soort;datum;waarde\n{goal};periodiek;2026-01-01;2,2\n".encode()
        return client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                           data={"csv-file": (io.BytesIO(body), "metingen.csv")})
    if what == "log":
        return client.post(f"/initiatieven/{initiative_id}/monitor/proceslogboek", data={
            "log-occurred_on": "2026-01-01", "log-kind": "funding_form", "log-text": "Beschikbaarheidsbekostiging."})
    from tests.monitor_flows import PDF

    return client.post(f"/initiatieven/{initiative_id}/documenten", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(PDF), "evaluatie.pdf"), "kind": "evaluation_report"})


@pytest.mark.parametrize("what", sorted(WRITES))
@pytest.mark.parametrize("who", [LEAD, PROVIDER, OTHER_PROVIDER, FUNDER, OTHER_INSURER, MEDIATOR, "beheerder@demo.nl",
                                 OUTSIDER])
def test_every_write_for_every_role(app, client, auth, demo, what, who):
    """Allowed: stored and audited. Refused: 403 for whoever sees the initiative, 404 for anyone else; nothing stored."""
    initiative_id = running(app, demo)
    outsider(app, demo, initiative_id)
    with app.app_context():
        before = demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    auth.login(who)
    response = _write(client, app, demo, initiative_id, what)
    with app.app_context():
        written = demo.session.scalar(sa.select(sa.func.count(AuditEntry.id))) - before
    if who in WRITES[what]:
        assert response.status_code == 302, response.get_data(as_text=True)
        assert written >= 1
    else:
        assert response.status_code == (404 if who == OUTSIDER else 403), (who, response.status_code)
        assert written == 1  # only the log-in


def test_a_csv_with_bad_lines_names_each_by_its_number_and_stores_nothing(app, client, auth, demo):
    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    auth.login(PROVIDER)
    body = (f"doel;soort;datum;waarde;bron\n{goal};nulmeting;2025-01-01;2.900;Vektis\n"
            f"{goal};tussentijds;2026-01-01;2,5;\n{goal};periodiek;2026-01-01;veel;\n"
            f"99999;periodiek;2026-01-01;2,1;\n{goal};eind;2099-01-01;1,5;\n")
    response = client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                           data={"csv-file": (io.BytesIO(body.encode()), "metingen.csv")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Niets geïmporteerd: 4 fout(en) gevonden." in html
    for line, text in ((3, "onbekende soort"), (4, "geen getal"), (5, "onbekend doel"), (6, "in de toekomst")):
        assert re.search(rf"Regel {line}: [^<]*{text}", html), line
    assert _rows(app, demo, Measurement, initiative_id) == []
    good = body.splitlines()[:2]
    response = client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                           data={"csv-file": (io.BytesIO(("\n".join(good) + f"\n{goal};periodiek;2026-01-01;2,2;\n")
                                                         .encode()), "metingen.csv")})
    assert response.status_code == 302
    assert [(k, str(v)) for k, v in _values(app, demo, initiative_id)] == [("baseline", "2900.0000"), ("periodic", "2.2000")]


def test_a_csv_that_is_not_utf8_is_refused_at_the_file(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(LEAD)
    response = client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                           data={"csv-file": (io.BytesIO("doel;waarde\n1;caf\xe9\n".encode("latin-1")), "m.csv")})
    assert response.status_code == 422
    assert "geen UTF-8" in _field_error(response.get_data(as_text=True), "csv-file")


def test_the_process_log_takes_dated_notes_of_the_parties(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(FUNDER)
    refused = client.post(f"/initiatieven/{initiative_id}/monitor/proceslogboek", data={
        "log-occurred_on": "2099-01-01", "log-kind": "obstacle", "log-text": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "ligt in de toekomst" in _field_error(html, "log-occurred_on")
    assert "Schrijf op wat er is afgesproken" in _field_error(html, "log-text")
    assert client.post(f"/initiatieven/{initiative_id}/monitor/proceslogboek", data={
        "log-occurred_on": "2026-01-01", "log-kind": "obstacle", "log-text": "Te weinig verpleegkundigen."}
    ).status_code == 302
    [entry] = _rows(app, demo, ProcessLogEntry, initiative_id)
    assert (entry.kind.value, entry.text) == ("obstacle", "Te weinig verpleegkundigen.")
    page = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    assert "Te weinig verpleegkundigen." in page and "Belemmering" in page


def test_the_initiative_page_links_to_the_monitor(app, client, auth, demo):
    initiative_id = running(app, demo)
    auth.login(OTHER_INSURER)  # asked: it sees the initiative and its monitor, and writes nothing there
    page = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    assert f'href="/initiatieven/{initiative_id}/monitor"' in page
    monitor = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    assert "Meting toevoegen" not in monitor and "Aantekening toevoegen" not in monitor


def test_the_monitor_pages_make_a_fixed_number_of_queries(app, client, auth, demo, capsys):
    from innovatieregister.services import documents, monitoring
    from innovatieregister.services.documents import Upload
    from tests.monitor_flows import PDF
    from tests.web.test_query_counts import _queries

    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    pages = [f"/initiatieven/{initiative_id}/monitor", f"/initiatieven/{initiative_id}/documenten"]

    def add(count):
        with app.app_context():
            lead = flows.user(demo, LEAD)
            monitoring.record_measurements(lead, initiative_id, [monitoring.MeasurementInput(
                goal, "periodic", "2026-01-01", str(2000 + n)) for n in range(count)], flows.TODAY)
            for n in range(count):
                monitoring.add_process_entry(lead, initiative_id, monitoring.ProcessEntryInput(
                    "2026-01-01", "agreement", f"Afspraak {n}"), flows.TODAY)
                documents.upload(lead, initiative_id, Upload(f"d{n}.pdf", PDF))

    auth.login(PROVIDER)
    add(1)
    small = [_queries(app, demo, client, url) for url in pages]
    add(30)
    large = [_queries(app, demo, client, url) for url in pages]
    with capsys.disabled():
        print(f"\nmonitor and documents pages: {small} queries with 1 of each, {large} with 31")
    assert large == small


def test_the_monitor_reads_the_newest_measurements_of_a_goal_and_its_progress_still_rests_on_the_old_baseline(
        app, client, auth, demo):
    from datetime import timedelta
    from fractions import Fraction

    from innovatieregister.formatting import percent
    from innovatieregister.models import Initiative
    from innovatieregister.services import monitoring

    initiative_id = running(app, demo)
    goal = goal_id(app, demo, initiative_id)
    shown = monitoring.LATEST_SHOWN
    with app.app_context():
        lead = flows.user(demo, LEAD)
        # A measured baseline of 3,000 long ago, then more periodic measurements than the page shows,
        # the newest 2,300: progress is (2,300 − 3,000) / (1,500 − 3,000), not from the goal's 2,900.
        start = flows.TODAY - timedelta(days=shown + 100)
        monitoring.record_measurements(lead, initiative_id, [
            monitoring.MeasurementInput(goal, "baseline", start.isoformat(), "3000"),
            *(monitoring.MeasurementInput(goal, "periodic", (start + timedelta(days=n + 1)).isoformat(),
                                          str(2400 - (n == shown + 4) * 100)) for n in range(shown + 5))],
            flows.TODAY)
        [monitor] = monitoring.goal_monitors(demo.session.get(Initiative, initiative_id))
        assert len(monitor.measurements) == shown and monitor.total == shown + 6
        assert monitor.progress.fraction == Fraction(700, 1500)
    auth.login(PROVIDER)
    page = client.get(f"/initiatieven/{initiative_id}/monitor").get_data(as_text=True)
    assert f"de {shown} nieuwste van {shown + 6}" in page
    assert percent(Fraction(700, 1500)) in page

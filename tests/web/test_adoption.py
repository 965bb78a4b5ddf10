"""Spreading what works, through the web: both axes of the follow policy, end to end."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, FollowRequest, Initiative, Notification, Organisation
from tests import flows

IMPACT = {"impact_description": "Verkeerde-beddagen van ZGT naar observatiebedden", "impact_volume": "400",
          "impact_unit": "bed_days", "impact_by": "2027-12-31", "evidence": "https://example.org/evaluatie"}


def _counts(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html.split('<dl class="counts">')[1].split("</dl>")[0]))


def _euro_to_decimal(text: str) -> Decimal:
    return Decimal(text.replace("€", "").strip().replace(".", "").replace(",", "."))


def _share_of(html: str, name: str) -> Decimal:
    table = html.split("Eerlijk aandeel per zorgverzekeraar")[1].split("</table>")[0]
    row = re.search(rf"<tr><td>{name}(?: \(leidend\))?</td>.*?</tr>", table, re.S).group(0)
    return _euro_to_decimal(re.search(r"€ [\d.]+,\d\d", row).group(0))


def test_a_provider_asks_a_non_following_insurer_to_adopt_and_the_gap_shrinks_by_its_share(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    for email in ("achmea@demo.nl", "vgz@demo.nl", "cz@demo.nl"):
        flows.decide(app, demo, email, "follow")
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.NOT_WEIGHTY)

    auth.login("menzis@demo.nl")
    before = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    gap_before = _euro_to_decimal(_counts(before)["Financieringstekort"])
    asr_share = _share_of(before, "ASR")

    auth.login("ziekenhuis@demo.nl")
    form = client.get(f"/initiatieven/{initiative_id}/overnameverzoek").get_data(as_text=True)
    assert re.search(r'<option value="ASR">ASR \(aandeel € [\d.]+,\d\d per jaar\)</option>', form)
    assert 'value="VGZ"' not in form  # VGZ already follows
    assert client.post(f"/initiatieven/{initiative_id}/overnameverzoek",  # confirmed: tests/web/test_confirmations.py
                       data={"insurer": "ASR", **IMPACT, "confirmed": "ja"}).status_code == 302
    again = client.post(f"/initiatieven/{initiative_id}/overnameverzoek", data={"insurer": "ASR", **IMPACT})
    assert again.status_code == 422 and "Er loopt al een overnameverzoek" in again.get_data(as_text=True)

    with app.app_context():
        request = demo.session.scalar(sa.select(FollowRequest).where(FollowRequest.kind == "adoption"))
        asr = demo.session.scalar(sa.select(Organisation).where(Organisation.code == "ASR"))
        follow_request = demo.session.scalar(sa.select(FollowRequest).where(
            FollowRequest.kind == "follow", FollowRequest.insurer_id == asr.id))
        assert request.insured == follow_request.insured  # B's share comes from the frozen key
        assert request.deadline == follow_request.deadline  # 20 working days from the same day
        notified = set(demo.session.scalars(sa.select(Notification.user_id).where(
            Notification.kind == "adoption_request.new")))
        assert {flows.user(demo, e).id for e in ("asr@demo.nl", "menzis@demo.nl", "ziekenhuis@demo.nl")} <= notified

    auth.login("asr@demo.nl")
    queue = client.get("/besluiten/").get_data(as_text=True)
    assert "overnameverzoek" in queue
    page = client.get(f"/overnameverzoeken/{request.id}/besluit").get_data(as_text=True)
    assert "Ziekenhuis Twente (demo)" in page and "400 beddagen per jaar" in page
    assert client.post(f"/overnameverzoeken/{request.id}/besluit",  # confirmed: tests/web/test_confirmations.py
                       data={"decision": "follow", "action": "confirm"}).status_code == 302

    auth.login("menzis@demo.nl")
    after = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    gap_after = _euro_to_decimal(_counts(after)["Financieringstekort"])
    assert gap_before - gap_after == asr_share  # exactly its share, to the cent
    assert "ASR" in before.split('<section class="flag"')[1]  # flagged before it adopted the deal
    assert '<section class="flag"' not in after  # no impasse left: ASR funds its share
    table = after.split("Eerlijk aandeel per zorgverzekeraar")[1].split("</table>")[0]
    assert re.search(r"<tr><td>ASR</td>.*?<td>volgt</td>", table, re.S)
    with app.app_context():
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "decision.record",
                                                                AuditEntry.object_id == str(request.id)))
        assert entry.after["kind"] == "adoption" and entry.after["decision"] == "follow"
        told = set(demo.session.scalars(sa.select(Notification.user_id).where(
            Notification.kind == "decision.recorded", Notification.message.like("ASR volgt%"))))
        assert {flows.user(demo, e).id for e in ("asr@demo.nl", "menzis@demo.nl", "ziekenhuis@demo.nl")} <= told


def test_a_provider_can_only_ask_for_initiatives_it_is_involved_in(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        from innovatieregister.services.accounts import create_user
        from innovatieregister.services.audit import Actor

        create_user("huisarts@demo.nl", "x", "HA-TWENTE", "provider_staff", "een-lang-wachtwoord", Actor.command("t"))
    auth.login("huisarts@demo.nl", "een-lang-wachtwoord")
    assert client.get(f"/initiatieven/{initiative_id}/overnameverzoek").status_code == 404
    assert client.post(f"/initiatieven/{initiative_id}/overnameverzoek",
                       data={"insurer": "ASR", **IMPACT}).status_code == 404
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(FollowRequest.kind == "adoption")) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"insurer": "MENZIS"}, "heeft deze afspraak zelf gemaakt"),
        ({"insurer": ""}, "Kies een zorgverzekeraar."),
        ({"impact_volume": "0"}, "Geef een aantal van 1 tot en met 10.000.000"),
        ({"impact_volume": "veel"}, "Geef een aantal van 1 tot en met 10.000.000"),
        ({"impact_volume": str(2**31)}, "Geef een aantal van 1 tot en met 10.000.000"),  # past the integer column
        ({"impact_unit": "liters"}, "Kies een eenheid"),
        ({"impact_by": "volgend jaar"}, "dd-mm-jjjj"),
        ({"impact_by": (flows.TODAY - timedelta(days=1)).isoformat()}, "ligt in het verleden"),
        ({"impact_description": ""}, "welke zorg waarheen verschuift"),
        ({"impact_description": "x" * 5001}, "te lang (maximaal 5000 tekens)"),
        ({"evidence": "ftp://x"}, "link"),
        ({"evidence": "https://" + "x" * 500}, "te lang (maximaal 500 tekens)"),
    ],
)
def test_bad_adoption_requests_get_dutch_messages_and_change_nothing(app, client, auth, demo, change, message):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("ziekenhuis@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/overnameverzoek", data={"insurer": "ASR", **IMPACT, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(FollowRequest.id)).where(FollowRequest.kind == "adoption")) == 0


def test_an_insurer_cannot_answer_for_another_insurer(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    request_id = flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "ASR")
    auth.login("cz@demo.nl")
    assert client.get(f"/overnameverzoeken/{request_id}/besluit").status_code == 404
    assert client.post(f"/overnameverzoeken/{request_id}/besluit",
                       data={"decision": "follow", "action": "decide"}).status_code == 404
    with app.app_context():
        assert demo.session.get(FollowRequest, request_id).state == "open"


def test_a_lead_elsewhere_adopts_the_initiative_and_the_copy_gets_its_own_requests_and_shares(app, client, auth, demo):
    source_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")  # VGZ leads Nijmegen (ZK16)
    registry = client.get("/register/?q=observatiebedden").get_data(as_text=True)
    assert "Observatiebedden Twente" in registry
    entry = client.get(f"/register/{source_id}").get_data(as_text=True)
    assert "Overnemen in uw regio" in entry and "Nijmegen" in entry
    assert "1.055.550" not in entry  # the registry shows no budget to non-parties
    response = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK16"})
    assert response.status_code == 302
    copy_id = int(re.search(r"/initiatieven/(\d+)/bewerken", response.headers["Location"]).group(1))
    with app.app_context():
        copy = demo.session.get(Initiative, copy_id)
        assert copy.adopted_from_id == source_id and copy.region.code == "ZK16"
        assert copy.lead_insurer.code == "VGZ" and copy.status == "concept"
        assert copy.annual_budget == 0 and copy.cost_lines == []  # nothing of the origin's rates (issue 13)
        providers = [str(i) for i in demo.session.scalars(sa.select(Organisation.id).where(
            Organisation.code.in_(["ZH-NIJMEGEN", "VVT-NIJMEGEN"])))]  # Nijmegen's own (issue 13)
    # Opening is refused until the copy has its own providers and budget.
    refused = client.post(f"/initiatieven/{copy_id}/openen", follow_redirects=True).get_data(as_text=True)
    assert "Het volgbeleid geldt alleen voor instellingsoverstijgende interventies" in refused
    with app.app_context():
        assert demo.session.get(Initiative, copy_id).status == "concept"
    edit = client.post(f"/initiatieven/{copy_id}/bewerken", data={
        "title": "Observatiebedden Nijmegen", "region": "ZK16", "kind": "jzojp_intervention", "phase": "scale_up",
        "evidence_level": "practice", "providers": providers,
        "cost_lines-0-category": "care", "cost_lines-0-description": "6 bedden", "cost_lines-0-amount": "791663.10"})
    assert edit.status_code == 302
    assert client.post(f"/initiatieven/{copy_id}/openen", data={"confirmed": "ja"}).status_code == 302
    with app.app_context():
        copy = demo.session.get(Initiative, copy_id)
        assert copy.status == "open" and copy.market_share_set_id is not None
        requested = set(demo.session.scalars(sa.select(Organisation.code).join(
            FollowRequest, FollowRequest.insurer_id == Organisation.id).where(FollowRequest.initiative_id == copy_id)))
        assert "VGZ" not in requested and "MENZIS" in requested and len(requested) == 9
    page = client.get(f"/initiatieven/{copy_id}").get_data(as_text=True)
    assert "Overgenomen van" in page and "€ 791.663,10" in page
    assert _share_of(page, "VGZ") > _share_of(page, "Menzis")  # Nijmegen's own key, not Twente's

    auth.login("menzis@demo.nl")
    source = client.get(f"/initiatieven/{source_id}").get_data(as_text=True)
    assert "Overgenomen in" in source and "Nijmegen door VGZ" in source
    spread = client.get("/register/?q=observatiebedden").get_data(as_text=True)
    row = re.search(r"Observatiebedden Twente</a>.*?</tr>", spread, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row)[0] == "2"  # two regions now


def test_a_non_lead_cannot_adopt_into_a_region(app, client, auth, demo):
    source_id = flows.open_observation_beds(app, demo)
    auth.login("dsw@demo.nl")  # DSW leads nowhere with two larger insurers in Nijmegen
    response = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK16"}, follow_redirects=True)
    assert "Alleen een leidende zorgverzekeraar registreert in Nijmegen" in response.get_data(as_text=True)
    auth.login("vgz@demo.nl")
    same = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK22"}, follow_redirects=True)
    assert "loopt al in Twente" in same.get_data(as_text=True)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id)).where(Initiative.adopted_from_id.is_not(None))) == 0


def test_the_registry_searches_words_and_filters(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    auth.login("cz@demo.nl")
    assert "Observatiebedden Twente" in client.get("/register/?q=verkeerde+bed").get_data(as_text=True)
    assert "Observatiebedden Twente" not in client.get("/register/?q=telemonitoring").get_data(as_text=True)
    assert "Observatiebedden Twente" in client.get("/register/?soort=jzojp_intervention&fase=scale_up&bewijs=practice&regio=ZK22").get_data(as_text=True)
    assert "Observatiebedden Twente" not in client.get("/register/?fase=start_up").get_data(as_text=True)
    assert "Observatiebedden Twente" not in client.get("/register/?regio=ZK09").get_data(as_text=True)


def test_an_adopted_draft_takes_over_what_the_intervention_is_and_leaves_the_local_fields_empty(
        app, client, auth, demo):
    """Issue 13: no title naming the origin's region, no goals naming its hospital, no basis text
    spelling out its rate, no amounts; and the page says what was and was not copied."""
    source_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")
    entry = client.get(f"/register/{source_id}").get_data(as_text=True)
    assert "Niet overgenomen" in entry and "zorgaanbieders van uw eigen regio" in entry
    response = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK16"})
    copy_id = int(re.search(r"/initiatieven/(\d+)/bewerken", response.headers["Location"]).group(1))
    with app.app_context():
        source, copy = demo.session.get(Initiative, source_id), demo.session.get(Initiative, copy_id)
        assert copy.title == "Overname: JZOJP-interventie in Nijmegen"
        assert (copy.description, copy.scale_down_plan, copy.cross_institution_justification) == ("", "", "")
        assert copy.goals == [] and copy.cost_lines == [] and copy.providers == []
        assert copy.term_start is None and copy.term_end is None and copy.theme_id is None
        # What the intervention is comes along.
        assert (copy.kind, copy.phase, copy.substitution_from, copy.substitution_to, copy.stop_criteria,
                copy.necessity_justification, copy.replaces_existing_care) == (
            source.kind, source.phase, source.substitution_from, source.substitution_to, source.stop_criteria,
            source.necessity_justification, source.replaces_existing_care)
        origin_texts = [source.title, source.goals[0].metric, source.cost_lines[0].basis, source.scale_down_plan]
    form = client.get(f"/initiatieven/{copy_id}/bewerken").get_data(as_text=True)
    assert "Overgenomen van Observatiebedden Twente" in form and "Niet overgenomen, vult u zelf in" in form
    assert "stopcriteria" in form.split("Niet overgenomen")[0]  # said to be copied
    fields = form.split('<form method="post" novalidate>')[1]
    for text in origin_texts[1:]:
        assert text not in fields, text
    assert 'value="Observatiebedden Twente"' not in fields
    # The providers to choose from are the new region's, not the origin's.
    providers = fields.split("<legend>Instellingsoverstijgend</legend>")[1].split("</fieldset>")[0]
    assert "Ziekenhuis Nijmegen (demo)" in providers and "Wijkverpleging Nijmegen (demo)" in providers
    assert "Twente" not in providers

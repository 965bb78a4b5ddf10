"""Every notification is written in its recipient's language (issue 13): one user of the organisation
told reads English, another Dutch, whoever acted and in whatever language.

The expected text comes from the catalogue (flask_babel under `force_locale`), so a message that is
written as a finished Dutch str, or marked but not translated, fails here. And no notify call
anywhere passes a finished text (an f-string, a `_()` result) as its message, so no new one slips in."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from innovatieregister import clock
from innovatieregister.formatting import datum
from innovatieregister.models import (
    FollowRequest,
    Initiative,
    Notification,
    Organisation,
    OrganisationKind,
    StatementRequest,
    User,
)
from innovatieregister.models.funding import CoFundingPledge, Settlement
from innovatieregister.services import co_funding, conditions, documents, lifecycle, monitoring, settlements
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from tests import flows, monitor_flows, settlement_flows

LEAD = "menzis@demo.nl"
ROLES = {OrganisationKind.INSURER: "insurer_staff", OrganisationKind.PROVIDER: "provider_staff",
         OrganisationKind.MUNICIPALITY: "co_funder_staff", OrganisationKind.CARE_OFFICE: "co_funder_staff"}


def _pair(app, db, code: str) -> tuple[str, str]:
    """Two users of this organisation, one reading English, one Dutch: (English, Dutch) addresses."""
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        pair = (f"en@{code.lower()}.test", f"nl@{code.lower()}.test")
        for email, language in zip(pair, ("en", "nl"), strict=True):
            create_user(email, f"Lezer {language}", code, ROLES[organisation.kind], "een-lang-wachtwoord",
                        Actor.command("t"))
            db.session.execute(sa.update(User).where(User.email == email).values(language=language))
        db.session.commit()
    return pair


def _told(app, db, email: str, kind: str) -> str:
    """The latest notification of this kind to this user."""
    with app.app_context():
        return db.session.scalars(sa.select(Notification.message).join(User, User.id == Notification.user_id)
                                  .where(User.email == email, Notification.kind == kind)
                                  .order_by(Notification.id.desc())).first()


def _catalogue(app, language: str, msgid: str, values: dict) -> str:
    """The catalogue's text in this language, dates written as that language writes them."""
    with app.app_context(), force_locale(language):
        return gettext(msgid, **{k: datum(v) if isinstance(v, date) else v for k, v in values.items()})


def _name(db, code: str) -> str:
    return db.session.scalar(sa.select(Organisation.name).where(Organisation.code == code))


# Each case: the organisation told, the kind, and the action, which returns the msgid and its values.

def _open(app, db):
    initiative_id = flows.open_observation_beds(app, db)
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        deadline = db.session.scalar(sa.select(FollowRequest.deadline).where(FollowRequest.initiative_id == initiative_id))
        return ("%(lead)s vraagt u het initiatief '%(title)s' in %(region)s te volgen. Besluit uiterlijk %(date)s.",
                {"lead": _name(db, "MENZIS"), "title": initiative.title, "region": initiative.region.name,
                 "date": deadline})


def _decide(app, db):
    flows.open_observation_beds(app, db)
    flows.decide(app, db, "vgz@demo.nl", "follow")
    return "%(organisation)s volgt: '%(title)s'.", {"organisation": _names(app, db, "VGZ"), "title": _title(app, db)}


def _fully_funded(app, db):
    flows.fund_observation_beds(app, db)
    return "Alle verzekeraars volgen '%(title)s': volledig gefinancierd.", {"title": _title(app, db)}


def _conditions(app, db):
    flows.open_observation_beds(app, db)
    flows.decide(app, db, "vgz@demo.nl", "follow", conditions=flows.CONDITIONS)
    with app.app_context():
        request_id = db.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(Organisation.code == "VGZ"))
        conditions.judge(flows.user(db, LEAD), request_id, "accepted", "Akkoord.", flows.TODAY, clock.now())
    return ("%(organisation)s aanvaardt de voorwaarden bij uw volgbesluit over '%(title)s': %(reasons)s",
            {"organisation": _names(app, db, "MENZIS"), "title": _title(app, db), "reasons": "Akkoord."})


def _withdraw_pledge(app, db):
    with app.app_context():
        pledge_id = db.session.scalar(sa.select(CoFundingPledge.id).join(
            Organisation, Organisation.id == CoFundingPledge.organisation_id).where(
            Organisation.code == "ZKT-TWENTE", CoFundingPledge.initiative_id == flows.observation_beds_id(app, db)))
        co_funding.withdraw_pledge(flows.user(db, LEAD), pledge_id)
    return ("%(lead)s heeft de toezegging voor '%(title)s' ingetrokken.",
            {"lead": _names(app, db, "MENZIS"), "title": _title(app, db)})


def _activate(app, db):
    initiative_id = flows.activate_observation_beds(app, db)
    with app.app_context():
        end = db.session.get(Initiative, initiative_id).term_end
    return ("'%(title)s' is geactiveerd: de looptijd loopt tot %(date)s, de nulmeting is gepland.",
            {"title": _title(app, db), "date": end})


def _settlement(app, db):
    initiative_id = settlement_flows.active_beds(app, db)
    settlement_id = settlement_flows.propose(app, db, initiative_id)
    with app.app_context():
        deadline = db.session.get(Settlement, settlement_id).contest_deadline
    return ("Nacalculatie %(year)s van '%(title)s' voorgesteld: bezwaar kan tot en met %(date)s.",
            {"year": settlement_flows.YEAR, "title": _title(app, db), "date": deadline})


def _statement(app, db):
    flows.open_observation_beds(app, db)
    flows.decide(app, db, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    _case_id, statement_id = flows.mediation_on_dsw(app, db, ask_statement_of="DSW")
    with app.app_context():
        deadline = db.session.get(StatementRequest, statement_id).deadline
    return ("De bemiddelaar vraagt uw zienswijze over '%(title)s', uiterlijk %(date)s.",
            {"title": _title(app, db), "date": deadline})


def _process_log(app, db):
    initiative_id = flows.monitored_innovation_id(app, db)
    with app.app_context():
        monitoring.add_process_entry(flows.user(db, "ziekenhuis@demo.nl"), initiative_id, monitoring.ProcessEntryInput(
            "2026-01-01", "agreement", "Overleg met de huisartsen."), flows.TODAY)
        title = db.session.get(Initiative, initiative_id).title
    return "Nieuwe aantekening in het proceslogboek van '%(title)s'.", {"title": title}


def _document(app, db):
    initiative_id = flows.monitored_innovation_id(app, db)
    with app.app_context():
        documents.upload(flows.user(db, LEAD), initiative_id,
                         documents.Upload("verslag.pdf", monitor_flows.PDF, "Verslag van de nulmeting"))
        title = db.session.get(Initiative, initiative_id).title
    return "Nieuw document bij '%(title)s': %(document)s.", {"title": title, "document": "Verslag van de nulmeting"}


def _names(app, db, code: str) -> str:
    with app.app_context():
        return _name(db, code)


def _title(app, db) -> str:
    with app.app_context():
        return db.session.get(Initiative, flows.observation_beds_id(app, db)).title


CASES = {
    "initiatives.open_for_decisions": ("ACHMEA", "follow_request.new", _open),
    "decisions.decide": ("MENZIS", "decision.recorded", _decide),
    "decisions fully funded": ("MENZIS", "initiative.fully_funded", _fully_funded),
    "conditions.judge": ("VGZ", "decision.conditions", _conditions),
    "co_funding.withdraw_pledge": ("ZKT-TWENTE", "co_funding.update", _withdraw_pledge),
    "lifecycle.activate": ("VGZ", "initiative.lifecycle", _activate),
    "settlements.propose": ("VGZ", settlements.NOTIFY_KIND, _settlement),
    "mediation.request_statement": ("DSW", "mediation.update", _statement),
    "monitoring.add_process_entry": ("MENZIS", "monitoring.update", _process_log),
    "documents.upload": ("ZH-TWENTE", "monitoring.update", _document),
}


@pytest.mark.parametrize("case", CASES)
def test_each_recipient_reads_the_notification_in_their_own_language(app, demo, case):
    code, kind, act = CASES[case]
    english_reader, dutch_reader = _pair(app, demo, code)
    msgid, values = act(app, demo)
    english, dutch = _catalogue(app, "en", msgid, values), _catalogue(app, "nl", msgid, values)
    assert english != dutch  # translated: the English is the catalogue's, not the Dutch msgid
    assert _told(app, demo, english_reader, kind) == english
    assert _told(app, demo, dutch_reader, kind) == dutch


def test_a_label_inside_a_notification_is_said_in_the_readers_language(app, demo):
    """An evaluation moment falls due: its kind (an enum label) is said in each reader's language."""
    from innovatieregister.domain.monitoring import LABELS
    from innovatieregister.models import MonitoringMoment

    english_reader, dutch_reader = _pair(app, demo, "VGZ")
    initiative_id = flows.activate_observation_beds(app, demo)
    with app.app_context():
        moment = demo.session.scalars(sa.select(MonitoringMoment).where(MonitoringMoment.initiative_id == initiative_id)
                                      .order_by(MonitoringMoment.due_on)).first()
        due_on, moment_kind = moment.due_on, moment.kind
        assert lifecycle.escalate_moment(moment.id, date.fromordinal(due_on.toordinal() + 1))
    msgid = "De %(kind)s van '%(title)s' had op %(date)s vastgelegd moeten zijn en ontbreekt nog."
    for reader, language in ((english_reader, "en"), (dutch_reader, "nl")):
        with app.app_context(), force_locale(language):
            label = gettext(LABELS.raw(moment_kind)).lower()
        expected = _catalogue(app, language, msgid, {"kind": label, "title": _title(app, demo), "date": due_on})
        assert _told(app, demo, reader, "escalation.evaluation_overdue") == expected
    assert _told(app, demo, english_reader, "escalation.evaluation_overdue") != \
        _told(app, demo, dutch_reader, "escalation.evaluation_overdue")


# No finished text as a message ----------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2] / "innovatieregister"
NOTIFY = {"notify_organisations": 2, "notify_users": 2}  # the message's position
FINISHED = {"_", "gettext", "ngettext", "lazy_gettext", "_l", "str", "format"}


def _functions(tree: ast.AST):
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def _calls(function: ast.FunctionDef) -> list[ast.Call]:
    """The calls in this function's own body (a nested function's are its own)."""
    found, todo = [], list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _called(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _messages(call: ast.Call, wrappers: dict[str, int]) -> list[ast.expr]:
    """The message expressions a call passes to a notify function (directly or through a wrapper)."""
    name = _called(call)
    if name == "notify_each":
        return [element.elts[2] for arg in call.args if isinstance(arg, ast.List | ast.ListComp)
                for element in ([arg.elt] if isinstance(arg, ast.ListComp) else arg.elts)
                if isinstance(element, ast.Tuple)]
    if name not in wrappers:
        return []
    position = wrappers[name]
    found = [k.value for k in call.keywords if k.arg == "message"]
    return found + ([call.args[position]] if len(call.args) > position else [])


def _problems(expr: ast.expr, function: ast.FunctionDef, seen: frozenset = frozenset()) -> list[str]:
    """Why this message expression is a finished text, if it is: only a Said (or a name bound to
    one, or a choice between them) is said in each reader's language."""
    if isinstance(expr, ast.IfExp):
        return _problems(expr.body, function, seen) + _problems(expr.orelse, function, seen)
    if isinstance(expr, ast.Call) and _called(expr) == "Said":
        return []
    if isinstance(expr, ast.Name) and expr.id not in seen:
        params = [a.arg for a in function.args.args]
        bound = [node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name) and target.id == expr.id]
        if expr.id in params or bound:
            return [p for value in bound for p in _problems(value, function, seen | {expr.id})]
    return [f"line {expr.lineno}: {ast.unparse(expr)[:80]}"]


def _wrappers(trees: list[ast.AST]) -> dict[str, int]:
    """notify_organisations, notify_users and every function that hands one of its parameters on
    to them as the message (lifecycle._notify, monitoring.notify_parties, ...): name -> position."""
    wrappers = dict(NOTIFY)
    while True:
        before = dict(wrappers)
        for function in (f for tree in trees for f in _functions(tree)):
            params = [a.arg for a in function.args.args]
            for call in _calls(function):
                for message in _messages(call, wrappers):
                    if isinstance(message, ast.Name) and message.id in params and function.name not in NOTIFY:
                        wrappers.setdefault(function.name, params.index(message.id))
        if wrappers == before:
            return wrappers


def test_no_notification_is_passed_a_finished_text():
    sources = {path: ast.parse(path.read_text(), str(path)) for path in sorted(PACKAGE.rglob("*.py"))
               if path.name != "notifications.py"}
    wrappers = _wrappers(list(sources.values()))
    assert {"_notify", "notify_parties", "_tell_co_funder"} <= set(wrappers)  # the check sees through wrappers
    problems, checked = [], 0
    for path, tree in sources.items():
        for function in _functions(tree):
            for call in _calls(function):
                for message in _messages(call, wrappers):
                    checked += 1
                    problems += [f"{path.relative_to(PACKAGE.parent)} {p}" for p in _problems(message, function)]
    assert checked >= 40
    assert problems == []

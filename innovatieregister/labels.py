"""Every label a person reads for a value of the register (issue 13): enum members, audit actions, the
fields an audit entry records and how their values are shown. Templates (the `label` filter and `labels`
global), notifications, e-mail and exports all read them here. The tables hold the Dutch text (the
source, marked `N_` for the catalogue); every lookup translates it into the reader's language.

The domain keeps the labels it needs for its own refusals (workflow, funding, monitoring, life cycle,
progress, savings: the domain imports nothing above it); they are gathered here, not copied, one table
per enum: members of different enums share values ('open', 'proposed', 'other') and a StrEnum member
equals its value, so one merged dict would give them one label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from innovatieregister.domain import funding, lifecycle, monitoring, progress, savings, workflow
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.phase import InitiativeKind, Phase
from innovatieregister.domain.text import N_
from innovatieregister.models.api_token import TokenState
from innovatieregister.models.decision import IMPACT_UNITS, ConditionsVerdict, DecisionKind, RequestKind
from innovatieregister.models.initiative import LABELS as INITIATIVE_LABELS
from innovatieregister.models.mediation import MEDIATION_LABELS, Finding, MediationReason
from innovatieregister.models.organisation import ORGANISATION_KIND_LABELS, ROLE_LABELS, OrganisationKind, Role

# Enums without a table of their own elsewhere -------------------------------------------------------

OWN: dict[type[Enum], dict] = {
    DecisionKind: {DecisionKind.FOLLOW: N_("Volgen"), DecisionKind.DECLINE: N_("Afwijzen")},
    RequestKind: {RequestKind.FOLLOW: N_("Volgverzoek"), RequestKind.ADOPTION: N_("Overnameverzoek")},
    ConditionsVerdict: {ConditionsVerdict.ACCEPTED: N_("Voorwaarden aanvaard"),
                        ConditionsVerdict.REJECTED: N_("Voorwaarden afgewezen")},
    InsurerState: {InsurerState.FOLLOWS: N_("volgt"), InsurerState.DECLINES: N_("wijst af"),
                   InsurerState.UNDECIDED: N_("nog geen besluit")},
    workflow.ShownState: {workflow.ShownState.FOLLOWS: N_("volgt"), workflow.ShownState.DECLINES: N_("wijst af"),
                          workflow.ShownState.UNDECIDED: N_("nog geen besluit"),
                          workflow.ShownState.HIDDEN: N_("nog niet zichtbaar")},
    TokenState: {TokenState.LIVE: N_("Geldig"), TokenState.EXPIRED: N_("Verlopen"),
                 TokenState.REVOKED: N_("Ingetrokken")},
    progress.ProgressStatus: {progress.ProgressStatus.MEASURED: N_("Gemeten"), **progress.STATUS_LABELS},
    workflow.Party: workflow.PARTY_LABELS,
    funding.SavingsLineKind: {funding.SavingsLineKind.PARTY: N_("Partij"),
                              funding.SavingsLineKind.INSURER: N_("Zorgverzekeraar")},
}
# An insurer's stand as a reader may see it: beyond InsurerState, a follow with conditions and 'not yet'.
FOLLOWS_WITH_CONDITIONS = _l("volgt onder voorwaarden")
HIDDEN = _l("nog niet zichtbaar")
LEAD = _l("leidend")


def stand(state: InsurerState, conditions: str = "") -> str:
    """Where an insurer stands in words; a follow with conditions says so everywhere it shows."""
    if state == InsurerState.FOLLOWS and conditions.strip():
        return str(FOLLOWS_WITH_CONDITIONS)
    return label(state)


def _tables(*merged: dict[Any, Any]) -> dict[type[Enum], dict[str, str]]:
    """{enum: {value: label}} from tables whose keys are members (of one enum or of several
    enums whose values differ) or from {enum: {member: label}} tables."""
    tables: dict[type[Enum], dict[str, str]] = {}
    for table in merged:
        for key, text in dict.items(table):  # the Dutch texts (a domain Labels table says them translated)
            if isinstance(key, type):
                tables.setdefault(key, {}).update({member.value: t for member, t in dict.items(text)})
            else:
                tables.setdefault(type(key), {})[key.value] = text
    return tables


ENUMS = _tables(workflow.STATE_LABELS, workflow.EVENT_LABELS, funding.LABELS, monitoring.LABELS,
                INITIATIVE_LABELS, MEDIATION_LABELS, ORGANISATION_KIND_LABELS, ROLE_LABELS,
                lifecycle.MOMENT_STATUS_LABELS, lifecycle.STOP_REASON_LABELS, savings.DIRECTION_LABELS, OWN)


def translated(text: str) -> str:
    """A Dutch text of these tables in the reader's language ('' stays '': gettext('') is the header)."""
    return _(text) if text else text


def label(value: object) -> str:
    """The label of an enum member (a bare value: of the first enum that has it) in the reader's
    language; anything else as text ('' for None)."""
    if isinstance(value, Enum):
        known = ENUMS.get(type(value), {}).get(value.value)
        return translated(known) if known else str(value.value)
    if isinstance(value, str | int) and not isinstance(value, bool):  # e.g. an int column of RiskLevel
        return _enum_label(value, "") or str(value)
    return "" if value is None else str(value)


def choices(enum: Iterable[Enum]) -> list[tuple[str, LazyString]]:
    """A form's options for every member of an enum, by its label, said when the form is shown: a form
    class built at import time reads in each reader's language."""
    return [(str(member.value), LazyString(label, member)) for member in enum]


# Notifications and e-mail ---------------------------------------------------------------------------

NOTIFICATION_KINDS = {
    "follow_request.new": N_("Nieuw verzoek om een initiatief te volgen"),
    "adoption_request.new": N_("Nieuw overnameverzoek"),
    "decision.recorded": N_("Een besluit over een initiatief van ons"),
    "decision.conditions": N_("Voorwaarden bij ons volgbesluit aanvaard of afgewezen"),
    "initiative.fully_funded": N_("Initiatief volledig gefinancierd"),
    "initiative.adopted": N_("Ons initiatief is overgenomen"),
    "initiative.scale_up": N_("Een innovatie waarbij wij betrokken zijn, gaat naar de opschalingsfase"),
    "reminder.deadline": N_("Herinnering: termijn loopt af"),
    "escalation.overdue": N_("Termijn verstreken zonder besluit"),
    "initiative.term_ending": N_("Looptijd van een initiatief loopt af"),
    "mediation.update": N_("Bemiddeling: verzoeken, zienswijzen en bevindingen"),
    "initiative.lifecycle": N_("Looptijd: activering, evaluatie, verlenging, beëindiging"),
    "reminder.evaluation": N_("Herinnering: evaluatiemoment nadert"),
    "escalation.evaluation_overdue": N_("Evaluatiemoment verstreken zonder evaluatie"),
    "initiative.stop_criteria": N_("Stopcriterium van een initiatief bereikt"),
    "monitoring.update": N_("Monitor: nieuwe metingen, aantekeningen in het proceslogboek en documenten"),
    "co_funding.update": N_("Medefinanciering: toezeggingen, bevestigingen en afwijzingen"),
    "initiative.followed": N_("Initiatieven die ik volg: statuswijzigingen en evaluaties"),
    "savings.computed": N_("Gedeelde besparing van een jaar berekend"),
    "settlement.update": N_("Nacalculatie: voorstellen, bezwaren, gebruiksopgaven en definitieve afrekeningen"),
}

# The audit trail ------------------------------------------------------------------------------------

AUDIT_ACTIONS = {
    "adoption_request.create": N_("Overnameverzoek verstuurd"),
    "api_token.create": N_("API-sleutel aangemaakt"),
    "api_token.revoke": N_("API-sleutel ingetrokken"),
    "co_funding.add": N_("Medefinanciering toegevoegd"),
    "co_funding.confirm": N_("Medefinanciering bevestigd"),
    "co_funding.decline": N_("Medefinanciering afgewezen"),
    "co_funding.edit": N_("Medefinanciering gewijzigd"),
    "co_funding.freeze": N_("Medefinanciering vastgelegd bij het openstellen"),
    "co_funding.lapse": N_("Medefinanciering vervallen: niet bevestigd bij het openstellen"),
    "co_funding.withdraw": N_("Medefinanciering ingetrokken"),
    "criterion.create": N_("Criterium toegevoegd"),
    "criterion.update": N_("Criterium gewijzigd"),
    "decision.record": N_("Besluit vastgelegd"),
    "decision.conditions": N_("Voorwaarden bij een volgbesluit beoordeeld"),
    "document.upload": N_("Document toegevoegd"),
    "follow_request.cancel": N_("Verzoek vervallen"),
    "follow_request.closed": N_("Besluit definitief (termijn verstreken)"),
    "follow_request.overdue": N_("Termijn verstreken zonder besluit"),
    "follow_request.reopened": N_("Opnieuw open na bevinding van de bemiddelaar"),
    "initiative.activate": N_("Geactiveerd: looptijd en evaluatiekalender vastgelegd"),
    "initiative.adopt": N_("Overgenomen uit een andere regio"),
    "initiative.calendar": N_("Evaluatiekalender aangepast"),
    "initiative.create": N_("Geregistreerd als concept"),
    "initiative.end": N_("Beëindigd"),
    "initiative.evaluation": N_("Evaluatie vastgelegd"),
    "initiative.evaluation_overdue": N_("Evaluatiemoment verstreken zonder evaluatie"),
    "initiative.extend": N_("Looptijd verlengd"),
    "initiative.follow": N_("Gaat het initiatief volgen"),
    "initiative.fully_funded": N_("Volledig gefinancierd"),
    "initiative.open": N_("Opengesteld voor besluiten"),
    "initiative.publish": N_("Gepubliceerd in het openbaar register"),
    "initiative.publish_scheduled": N_("Publicatie in het openbaar register gepland"),
    "initiative.scale_up": N_("Naar de opschalingsfase: het volgbeleid is van toepassing"),
    "initiative.status": N_("Status gewijzigd"),
    "initiative.stop_criteria": N_("Stopcriterium bereikt"),
    "initiative.unfollow": N_("Volgt het initiatief niet meer"),
    "initiative.unpublish": N_("Uit het openbaar register gehaald"),
    "initiative.update": N_("Concept gewijzigd"),
    "initiative.withdraw": N_("Ingetrokken"),
    "market_shares.import": N_("Marktaandelen ingelezen"),
    "measurement.import": N_("Metingen ingelezen"),
    "measurement.record": N_("Meting vastgelegd"),
    "mediation.close": N_("Bemiddeling gesloten"),
    "mediation.finding": N_("Bevinding van de bemiddelaar"),
    "mediation.follow_up_missed": N_("Volgbesluit na de bevinding niet op tijd"),
    "mediation.note": N_("Notitie van de bemiddelaar"),  # shown to the mediator only
    "mediation.open": N_("Bemiddeling aangevraagd"),
    "mediation.statement_answer": N_("Zienswijze gegeven"),
    "mediation.statement_request": N_("Zienswijze gevraagd"),
    "mediation.take": N_("In behandeling bij de bemiddelaar"),
    "mediation.withdraw": N_("Bemiddeling ingetrokken"),
    "notifications.read": N_("Meldingen gelezen"),
    "organisation.create": N_("Organisatie toegevoegd"),
    "policy.threshold": N_("Drempel voor zwaarwegend gewijzigd"),
    "process_log.add": N_("Aantekening in het proceslogboek"),
    "refdata.load": N_("Referentiegegevens geladen"),
    "regional_plan.save": N_("Regioplan opgeslagen"),
    "savings.agreement_freeze": N_("Afspraak gedeelde besparingen vastgelegd bij het openstellen"),
    "savings.agreement_save": N_("Afspraak gedeelde besparingen opgeslagen"),
    "savings.compute": N_("Gedeelde besparingen berekend"),
    "settlement.contest": N_("Bezwaar tegen de nacalculatie"),
    "settlement.contest_withdrawn": N_("Bezwaar tegen de nacalculatie ingetrokken"),
    "settlement.correct": N_("Nacalculatie gecorrigeerd"),
    "settlement.final": N_("Nacalculatie definitief"),
    "settlement.propose": N_("Nacalculatie voorgesteld"),
    "use_report.decide": N_("Gebruiksopgave beoordeeld"),
    "use_report.record": N_("Gebruiksopgave vastgelegd"),
    "user.create": N_("Gebruiker aangemaakt"),
    "user.disable": N_("Account geblokkeerd"),
    "user.enable": N_("Account gedeblokkeerd"),
    "user.locked": N_("Account tijdelijk op slot"),
    "user.login": N_("Ingelogd"),
    "user.login_failed": N_("Inloggen mislukt"),
    "user.logout": N_("Uitgelogd"),
    "user.language": N_("Taal gewijzigd"),
    "user.mail_preferences": N_("E-mailvoorkeuren gewijzigd"),
    "user.password_change": N_("Wachtwoord gewijzigd"),
    "user.password_change_failed": N_("Wachtwoord wijzigen mislukt"),
    "user.password_reset": N_("Wachtwoord opnieuw ingesteld door de beheerder"),
}


def audit_action(action: str) -> str:
    return translated(AUDIT_ACTIONS.get(action, N_("Wijziging")))


def notification_kind(kind: str) -> str:
    """What a kind of notification is about, in the reader's language (the e-mail subject, the profile)."""
    return translated(NOTIFICATION_KINDS[kind]) if kind in NOTIFICATION_KINDS else kind


# Who acted when no person did: the register's own jobs ("register: termijnbewaking") and commands.
COMMANDS = {
    "flask demo load": N_("demo geladen"),
    "flask refdata load": N_("referentiegegevens geladen"),
    "flask marketshares import": N_("marktaandelen ingelezen"),
    "flask users create": N_("gebruiker aangemaakt"),
    "flask users token": N_("API-sleutel gemaakt"),
}


# The register's own jobs as they name themselves in the audit trail ('register: termijnbewaking').
JOBS = {job: job for job in (N_("termijnbewaking"), N_("volgbesluit na bevinding"), N_("looptijdbewaking"),
                             N_("nacalculatie"), N_("publicatie op datum"), N_("alle verzekeraars volgen"))}


def system_actor(actor_label: str) -> str:
    """'command: flask demo load' → 'Systeem (demo geladen)'; 'register: termijnbewaking' → 'Systeem
    (termijnbewaking)'. A refused log-in names no one ('Onbekende gebruiker'); a person's label (an
    e-mail address) stays as it is."""
    kind, _sep, what = actor_label.partition(": ")
    if kind not in ("register", "command", "login"):
        return actor_label
    if kind == "register":
        return _("Systeem (%(what)s)", what=translated(JOBS.get(what, what)))
    if kind == "command":
        done = next((text for command, text in COMMANDS.items() if what.startswith(command)),
                    N_("opdracht van de beheerder"))
        return _("Systeem (%(what)s)", what=translated(done))
    return _("Onbekende gebruiker")


FIELDS = {
    "activated_at": N_("Geactiveerd op"), "active": N_("Actief"), "actual_cost": N_("Werkelijke kosten"),
    "adopted_from": N_("Overgenomen van initiatief"),
    "adopted_without_positive_evaluation": N_("Overgenomen zonder positieve evaluatie"),
    "allocated": N_("Over de verzekeraars verdeeld"), "amount_per_year": N_("Bedrag per jaar"),
    "annual_budget": N_("Jaarbudget"), "arguments": N_("Argumenten"),
    "baseline_annual_cost": N_("Jaarlijkse kosten vooraf (basislijn)"), "calendar": N_("Evaluatiekalender"),
    "cancelled_requests": N_("Vervallen verzoeken"), "co_funding": N_("Medefinanciering"), "code": N_("Code"),
    "conditions": N_("Voorwaarden"), "conditions_verdict": N_("Oordeel over de voorwaarden"),
    "contest": N_("Bezwaar"), "contest_deadline": N_("Bezwaar mogelijk tot en met"),
    "content_type": N_("Bestandssoort"), "cost_lines": N_("Kostenposten"), "count": N_("Aantal"),
    "deadline": N_("Termijn"), "decision": N_("Besluit"), "decision_reasons": N_("Redenen"),
    "documents": N_("Documenten"), "due_on": N_("Gepland op"), "email": N_("E-mailadres"),
    "ended_cases": N_("Beëindigde zaken"), "ended_on": N_("Beëindigd op"), "evaluation": N_("Evaluatie"),
    "evaluations": N_("Evaluaties"), "expected_volume": N_("Verwacht volume"), "expires_at": N_("Verloopt op"),
    "explanation": N_("Toelichting"), "failed_logins": N_("Mislukte pogingen"), "filename": N_("Bestandsnaam"),
    "finding": N_("Bevinding"), "follow_requests": N_("Verzoeken aan"),
    "follow_up_deadline": N_("Volgbesluit uiterlijk"), "frozen": N_("Vastgelegd"), "frozen_at": N_("Vastgelegd op"),
    "funders": N_("Financiers"), "funding_model": N_("Financieringsvorm"), "gap": N_("Financieringstekort"),
    "gap_acceptance_reasons": N_("Redenen om het tekort te aanvaarden"), "gate_met": N_("Kwaliteitsdrempel gehaald"),
    "gates": N_("Kwaliteitsdrempels"), "generated": N_("Door het register gekozen"), "goal": N_("Doel"),
    "goals": N_("Doelen"), "illustrative": N_("Illustratief"), "impact": N_("Verwachte transformatie"),
    "initiative": N_("Initiatief"), "insured": N_("Verzekerden"), "insurer": N_("Verzekeraar"),
    "insurers": N_("Verzekeraars"), "key": N_("Verdeelsleutel"), "kind": N_("Soort"), "language": N_("Taal"),
    "lapsed": N_("Vervallen momenten"), "latest_verdict": N_("Laatste oordeel"),
    "lead_insurer": N_("Leidende verzekeraar"), "lines": N_("Regels"),
    "market_share_set": N_("Marktaandelen (peildatum)"), "measured_on": N_("Gemeten op"),
    "measurements": N_("Metingen"), "moment": N_("Evaluatiemoment"), "moments": N_("Evaluatiemomenten"),
    "municipalities": N_("Gemeenten"), "must_change_password": N_("Moet het wachtwoord wijzigen"), "name": N_("Naam"),
    "note": N_("Notitie"), "occurred_on": N_("Datum"), "organisation": N_("Organisatie"),
    "origin_latest_verdict": N_("Laatste oordeel van het origineel"), "outcome": N_("Wat er met de zorg gebeurt"),
    "party": N_("Partij"), "peildatum": N_("Peildatum"), "phase": N_("Fase"), "prefix": N_("Begin van de sleutel"),
    "pro_rata": N_("Naar rato"), "providers": N_("Zorgaanbieders"), "publish_on": N_("Publiceren op"),
    "published_at": N_("Gepubliceerd op"), "reason": N_("Reden"), "reasoning": N_("Onderbouwing"),
    "reasons": N_("Redenen"), "regiobeeld": N_("Regiobeeld"), "region": N_("Regio"), "regions": N_("Regio's"),
    "request": N_("Verzoek"), "risk_level": N_("Risiconiveau"), "role": N_("Rol"), "rows": N_("Regels"),
    "savings": N_("Besparing"), "score": N_("Score"), "session_version": N_("Sessieversie"),
    "settlement": N_("Nacalculatie"), "settlement_basis": N_("Verrekening op"),
    "sha256": N_("Controlegetal (SHA-256)"), "size_bytes": N_("Grootte (bytes)"), "source": N_("Bron"),
    "start_up_end": N_("Einde opstartfase"), "state": N_("Stand"), "statement": N_("Zienswijze"),
    "status": N_("Status"), "term_end": N_("Einde looptijd"), "term_start": N_("Begin looptijd"), "text": N_("Tekst"),
    "theme": N_("Thema"), "themes": N_("Thema's"), "threshold": N_("Drempel"), "title": N_("Titel"),
    "tokens_revoked": N_("API-sleutels ingetrokken"), "uncovered": N_("Niet gedekt"), "unit": N_("Eenheid"),
    "unit_price": N_("Prijs per eenheid"), "units": N_("Eenheden"), "user": N_("Gebruiker"), "value": N_("Waarde"),
    "verdict": N_("Oordeel"), "version": N_("Versie"), "weight": N_("Gewicht"),
    "weighty": N_("Zwaarwegend onderbouwd"), "year": N_("Jaar"),
}
MONEY = {"actual_cost", "allocated", "amount_per_year", "annual_budget", "baseline_annual_cost", "co_funding",
         "gap", "savings", "uncovered", "unit_price"}
# Where a value's enum depends on what the entry is about ('state' of a pledge, a settlement, ...).
STATE_OF = {"Initiative": workflow.InitiativeState, "FollowRequest": workflow.FollowRequestState,
            "MediationCase": workflow.MediationState, "CoFundingPledge": funding.PledgeState,
            "Settlement": funding.SettlementState, "UseReport": funding.UseReportState}
FIELD_ENUMS = {"decision": DecisionKind, "conditions_verdict": ConditionsVerdict, "finding": Finding,
               "reason": MediationReason,
               "role": Role, "phase": Phase, "verdict": monitoring.Verdict,
               "latest_verdict": monitoring.Verdict, "origin_latest_verdict": monitoring.Verdict,
               "evaluations": monitoring.Verdict, "outcome": monitoring.EndOutcome,
               "funding_model": funding.FundingModel, "settlement_basis": funding.SettlementBasis,
               "calendar": monitoring.MeasurementKind, "lapsed": monitoring.MeasurementKind}
KIND_OF = {"FollowRequest": RequestKind, "Organisation": OrganisationKind, "Initiative": InitiativeKind}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_MONEY = re.compile(r"-?\d+\.\d{2}")


def field(name: str) -> str:
    return translated(FIELDS[name]) if name in FIELDS else name.replace("_", " ").capitalize()


def _enum_label(value: str | int, field_name: str) -> str | None:
    """The label of an enum value: by the field's own enum where the field says which, else the
    first enum that knows the value (members of different enums may share one)."""
    if field_name in FIELD_ENUMS and value in ENUMS[FIELD_ENUMS[field_name]]:
        return translated(ENUMS[FIELD_ENUMS[field_name]][value])
    found = next((table[value] for table in ENUMS.values() if value in table), None)
    return translated(found) if found else None


def value(name: str, raw: object, object_type: str = "", names: Mapping[str, str] | None = None) -> str:
    """How an audited value reads: money the Dutch way, dates in the reader's language, 'ja'/'nee'
    (translated), enum values and codes (criteria, organisations: `names`) by their label, lists and
    pairs in words; never a Python literal."""
    names = names or {}
    by_field = _by_field(name, raw, object_type, names)
    return by_field if by_field is not None else _shown(raw, name, names)


def _by_field(name: str, raw: object, object_type: str, names: Mapping[str, str]) -> str | None:
    """A value that reads by what its field is (arguments, the state or kind of its object, a risk
    level, money); None for any other."""
    from innovatieregister.formatting import euro

    if name == "arguments" and isinstance(raw, list):
        return "; ".join(_("%(criterion)s (sterkte %(strength)s, gewicht %(weight)s)",
                           criterion=names.get(a[0], a[0]), strength=a[1], weight=a[2]) for a in raw) or _("geen")
    enum = STATE_OF.get(object_type) if name in ("status", "state") else KIND_OF.get(object_type) \
        if name == "kind" else None
    if enum is not None and isinstance(raw, str):
        try:
            return label(enum(raw))
        except ValueError:
            return raw
    if name == "risk_level" and isinstance(raw, int):
        return label(funding.RiskLevel(raw))
    if name in MONEY and isinstance(raw, str | int | float):
        try:
            return euro(Decimal(str(raw)))
        except InvalidOperation:
            return str(raw)
    return None


def _shown(item: object, name: str, names: Mapping[str, str]) -> str:
    """One value of field `name` in words; lists, pairs and mappings item by item."""
    from innovatieregister.formatting import number

    if item is None or item == "":
        return "—"
    if isinstance(item, bool):
        return _("ja") if item else _("nee")
    if isinstance(item, int):
        return number(item)
    if isinstance(item, dict):
        return "; ".join(f"{names.get(str(k), k)}: {_shown(v, name, names)}" for k, v in item.items()) or "—"
    if isinstance(item, list | tuple):
        return "; ".join(_shown(v, name, names) if not isinstance(v, list | tuple)
                         else ", ".join(_shown(w, name, names) for w in v) for v in item) or _("geen")
    return _shown_text(str(item), name, names)


def _shown_text(text: str, name: str, names: Mapping[str, str]) -> str:
    """A text value: a moment or date in the reader's language, a code by its name, money, an
    impact unit or enum value by its label, or the text itself."""
    from innovatieregister.formatting import datum, euro

    if _ISO_MOMENT.match(text):
        try:
            return datum(datetime.fromisoformat(text))
        except ValueError:
            return text
    if _ISO_DATE.fullmatch(text):
        return datum(date.fromisoformat(text))
    if ":" in text and _ISO_DATE.fullmatch(text.partition(":")[2]):  # a calendar moment: 'baseline:2027-03-07'
        kind, _sep, day = text.partition(":")
        return f"{_shown(kind, name, names)} {datum(date.fromisoformat(day))}"
    if text in names:
        return names[text]
    if _MONEY.fullmatch(text) and name in MONEY | {"key", "lines", "cost_lines"}:
        try:
            return euro(Decimal(text))
        except InvalidOperation:
            return text
    return translated(IMPACT_UNITS.get(text, "")) or _enum_label(text, name) or text

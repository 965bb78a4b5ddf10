"""Every label a person reads for a value of the register, in Dutch (issue 13): enum members, audit
actions, the fields an audit entry records and how their values are shown. Templates (the `label`
filter and `labels` global), notifications, e-mail and exports all read them here.

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

from innovatieregister.domain import funding, lifecycle, monitoring, progress, savings, workflow
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.phase import InitiativeKind, Phase
from innovatieregister.models.api_token import TokenState
from innovatieregister.models.decision import IMPACT_UNITS, ConditionsVerdict, DecisionKind, RequestKind
from innovatieregister.models.initiative import LABELS as INITIATIVE_LABELS
from innovatieregister.models.mediation import MEDIATION_LABELS, Finding, MediationReason
from innovatieregister.models.organisation import ORGANISATION_KIND_LABELS, ROLE_LABELS, OrganisationKind
from innovatieregister.models.organisation import Role as OrganisationRole

# Enums without a table of their own elsewhere -------------------------------------------------------

OWN: dict[type[Enum], dict] = {
    DecisionKind: {DecisionKind.FOLLOW: "Volgen", DecisionKind.DECLINE: "Afwijzen"},
    RequestKind: {RequestKind.FOLLOW: "Volgverzoek", RequestKind.ADOPTION: "Overnameverzoek"},
    ConditionsVerdict: {ConditionsVerdict.ACCEPTED: "Voorwaarden aanvaard",
                        ConditionsVerdict.REJECTED: "Voorwaarden afgewezen"},
    InsurerState: {InsurerState.FOLLOWS: "volgt", InsurerState.DECLINES: "wijst af",
                   InsurerState.UNDECIDED: "nog geen besluit"},
    TokenState: {TokenState.LIVE: "Geldig", TokenState.EXPIRED: "Verlopen", TokenState.REVOKED: "Ingetrokken"},
    progress.ProgressStatus: {progress.ProgressStatus.MEASURED: "Gemeten", **progress.STATUS_LABELS},
    workflow.Role: workflow.ROLE_LABELS,
    funding.SavingsLineKind: {funding.SavingsLineKind.PARTY: "Partij",
                              funding.SavingsLineKind.INSURER: "Zorgverzekeraar"},
}
# An insurer's stand as a reader may see it: beyond InsurerState, a follow with conditions and 'not yet'.
FOLLOWS_WITH_CONDITIONS = "volgt onder voorwaarden"
HIDDEN = "nog niet zichtbaar"
LEAD = "leidend"


def stand(state: InsurerState, conditions: str = "") -> str:
    """Where an insurer stands in words; a follow with conditions says so everywhere it shows."""
    if state == InsurerState.FOLLOWS and conditions.strip():
        return FOLLOWS_WITH_CONDITIONS
    return label(state)


def _tables(*merged: Mapping) -> dict[type[Enum], dict[str, str]]:
    """{enum: {value: label}} from tables whose keys are members (of one enum or of several
    enums whose values differ) or from {enum: {member: label}} tables."""
    tables: dict[type[Enum], dict[str, str]] = {}
    for table in merged:
        for key, text in table.items():
            if isinstance(key, type):
                tables.setdefault(key, {}).update({member.value: t for member, t in text.items()})
            else:
                tables.setdefault(type(key), {})[key.value] = text
    return tables


ENUMS = _tables(workflow.STATE_LABELS, workflow.EVENT_LABELS, funding.LABELS, monitoring.LABELS,
                INITIATIVE_LABELS, MEDIATION_LABELS, ORGANISATION_KIND_LABELS, ROLE_LABELS,
                lifecycle.MOMENT_STATUS_LABELS, lifecycle.STOP_REASON_LABELS, savings.DIRECTION_LABELS, OWN)


def label(value: object) -> str:
    """The Dutch label of an enum member (a bare value: of the first enum that has it); anything else
    as text ('' for None)."""
    if isinstance(value, Enum):
        return ENUMS.get(type(value), {}).get(value.value, str(value.value))
    if isinstance(value, str | int) and not isinstance(value, bool):  # e.g. an int column of RiskLevel
        return _enum_label(value, "") or str(value)
    return "" if value is None else str(value)


def choices(enum: Iterable[Enum]) -> list[tuple[str, str]]:
    """A form's options for every member of an enum, by its label."""
    return [(str(member.value), label(member)) for member in enum]


# Notifications and e-mail ---------------------------------------------------------------------------

NOTIFICATION_KINDS = {
    "follow_request.new": "Nieuw verzoek om een initiatief te volgen",
    "adoption_request.new": "Nieuw overnameverzoek",
    "decision.recorded": "Een besluit over een initiatief van ons",
    "decision.conditions": "Voorwaarden bij ons volgbesluit aanvaard of afgewezen",
    "initiative.fully_funded": "Initiatief volledig gefinancierd",
    "initiative.adopted": "Ons initiatief is overgenomen",
    "initiative.scale_up": "Een innovatie waarbij wij betrokken zijn, gaat naar de opschalingsfase",
    "reminder.deadline": "Herinnering: termijn loopt af",
    "escalation.overdue": "Termijn verstreken zonder besluit",
    "initiative.term_ending": "Looptijd van een initiatief loopt af",
    "mediation.update": "Bemiddeling: verzoeken, zienswijzen en bevindingen",
    "initiative.lifecycle": "Looptijd: activering, evaluatie, verlenging, beëindiging",
    "reminder.evaluation": "Herinnering: evaluatiemoment nadert",
    "escalation.evaluation_overdue": "Evaluatiemoment verstreken zonder evaluatie",
    "initiative.stop_criteria": "Stopcriterium van een initiatief bereikt",
    "monitoring.update": "Monitor: nieuwe metingen, aantekeningen in het proceslogboek en documenten",
    "co_funding.update": "Medefinanciering: toezeggingen, bevestigingen en afwijzingen",
    "initiative.followed": "Initiatieven die ik volg: statuswijzigingen en evaluaties",
    "savings.computed": "Gedeelde besparing van een jaar berekend",
    "settlement.update": "Nacalculatie: voorstellen, bezwaren, gebruiksopgaven en definitieve afrekeningen",
}

# The audit trail ------------------------------------------------------------------------------------

AUDIT_ACTIONS = {
    "adoption_request.create": "Overnameverzoek verstuurd",
    "api_token.create": "API-sleutel aangemaakt",
    "api_token.revoke": "API-sleutel ingetrokken",
    "co_funding.add": "Medefinanciering toegevoegd",
    "co_funding.confirm": "Medefinanciering bevestigd",
    "co_funding.decline": "Medefinanciering afgewezen",
    "co_funding.edit": "Medefinanciering gewijzigd",
    "co_funding.freeze": "Medefinanciering vastgelegd bij het openstellen",
    "co_funding.lapse": "Medefinanciering vervallen: niet bevestigd bij het openstellen",
    "co_funding.withdraw": "Medefinanciering ingetrokken",
    "criterion.create": "Criterium toegevoegd",
    "criterion.update": "Criterium gewijzigd",
    "decision.record": "Besluit vastgelegd",
    "decision.conditions": "Voorwaarden bij een volgbesluit beoordeeld",
    "document.upload": "Document toegevoegd",
    "follow_request.cancel": "Verzoek vervallen",
    "follow_request.closed": "Besluit definitief (termijn verstreken)",
    "follow_request.overdue": "Termijn verstreken zonder besluit",
    "follow_request.reopened": "Opnieuw open na bevinding van de bemiddelaar",
    "initiative.activate": "Geactiveerd: looptijd en evaluatiekalender vastgelegd",
    "initiative.adopt": "Overgenomen uit een andere regio",
    "initiative.calendar": "Evaluatiekalender aangepast",
    "initiative.create": "Geregistreerd als concept",
    "initiative.end": "Beëindigd",
    "initiative.evaluation": "Evaluatie vastgelegd",
    "initiative.evaluation_overdue": "Evaluatiemoment verstreken zonder evaluatie",
    "initiative.extend": "Looptijd verlengd",
    "initiative.follow": "Gaat het initiatief volgen",
    "initiative.fully_funded": "Volledig gefinancierd",
    "initiative.open": "Opengesteld voor besluiten",
    "initiative.publish": "Gepubliceerd in het openbaar register",
    "initiative.publish_scheduled": "Publicatie in het openbaar register gepland",
    "initiative.scale_up": "Naar de opschalingsfase: het volgbeleid is van toepassing",
    "initiative.status": "Status gewijzigd",
    "initiative.stop_criteria": "Stopcriterium bereikt",
    "initiative.unfollow": "Volgt het initiatief niet meer",
    "initiative.unpublish": "Uit het openbaar register gehaald",
    "initiative.update": "Concept gewijzigd",
    "initiative.withdraw": "Ingetrokken",
    "market_shares.import": "Marktaandelen ingelezen",
    "measurement.import": "Metingen ingelezen",
    "measurement.record": "Meting vastgelegd",
    "mediation.close": "Bemiddeling gesloten",
    "mediation.finding": "Bevinding van de bemiddelaar",
    "mediation.follow_up_missed": "Volgbesluit na de bevinding niet op tijd",
    "mediation.note": "Notitie van de bemiddelaar",  # shown to the mediator only
    "mediation.open": "Bemiddeling aangevraagd",
    "mediation.statement_answer": "Zienswijze gegeven",
    "mediation.statement_request": "Zienswijze gevraagd",
    "mediation.take": "In behandeling bij de bemiddelaar",
    "mediation.withdraw": "Bemiddeling ingetrokken",
    "notifications.read": "Meldingen gelezen",
    "organisation.create": "Organisatie toegevoegd",
    "policy.threshold": "Drempel voor zwaarwegend gewijzigd",
    "process_log.add": "Aantekening in het proceslogboek",
    "refdata.load": "Referentiegegevens geladen",
    "regional_plan.save": "Regioplan opgeslagen",
    "savings.agreement_freeze": "Afspraak gedeelde besparingen vastgelegd bij het openstellen",
    "savings.agreement_save": "Afspraak gedeelde besparingen opgeslagen",
    "savings.compute": "Gedeelde besparingen berekend",
    "settlement.contest": "Bezwaar tegen de nacalculatie",
    "settlement.contest_withdrawn": "Bezwaar tegen de nacalculatie ingetrokken",
    "settlement.correct": "Nacalculatie gecorrigeerd",
    "settlement.final": "Nacalculatie definitief",
    "settlement.propose": "Nacalculatie voorgesteld",
    "use_report.decide": "Gebruiksopgave beoordeeld",
    "use_report.record": "Gebruiksopgave vastgelegd",
    "user.create": "Gebruiker aangemaakt",
    "user.disable": "Account geblokkeerd",
    "user.enable": "Account gedeblokkeerd",
    "user.locked": "Account tijdelijk op slot",
    "user.login": "Ingelogd",
    "user.login_failed": "Inloggen mislukt",
    "user.logout": "Uitgelogd",
    "user.language": "Taal gewijzigd",
    "user.mail_preferences": "E-mailvoorkeuren gewijzigd",
    "user.password_change": "Wachtwoord gewijzigd",
    "user.password_change_failed": "Wachtwoord wijzigen mislukt",
    "user.password_reset": "Wachtwoord opnieuw ingesteld door de beheerder",
}


def audit_action(action: str) -> str:
    return AUDIT_ACTIONS.get(action, "Wijziging")


# Who acted when no person did: the register's own jobs ("register: termijnbewaking") and commands.
COMMANDS = {
    "flask demo load": "demo geladen",
    "flask refdata load": "referentiegegevens geladen",
    "flask marketshares import": "marktaandelen ingelezen",
    "flask users create": "gebruiker aangemaakt",
    "flask users token": "API-sleutel gemaakt",
}


def system_actor(actor_label: str) -> str:
    """'command: flask demo load' → 'Systeem (demo geladen)'; 'register: termijnbewaking' → 'Systeem
    (termijnbewaking)'. A refused log-in names no one ('Onbekende gebruiker'); a person's label (an
    e-mail address) stays as it is."""
    kind, _, what = actor_label.partition(": ")
    if kind not in ("register", "command", "login"):
        return actor_label
    if kind == "register":
        return f"Systeem ({what})"
    if kind == "command":
        done = next((text for command, text in COMMANDS.items() if what.startswith(command)),
                    "opdracht van de beheerder")
        return f"Systeem ({done})"
    return "Onbekende gebruiker"


FIELDS = {
    "activated_at": "Geactiveerd op", "active": "Actief", "actual_cost": "Werkelijke kosten",
    "adopted_from": "Overgenomen van initiatief", "adopted_without_positive_evaluation":
        "Overgenomen zonder positieve evaluatie", "allocated": "Over de verzekeraars verdeeld",
    "amount_per_year": "Bedrag per jaar", "annual_budget": "Jaarbudget", "arguments": "Argumenten",
    "baseline_annual_cost": "Jaarlijkse kosten vooraf (basislijn)", "calendar": "Evaluatiekalender",
    "cancelled_requests": "Vervallen verzoeken", "co_funding": "Medefinanciering", "code": "Code",
    "conditions": "Voorwaarden",
    "conditions_verdict": "Oordeel over de voorwaarden", "contest": "Bezwaar",
    "contest_deadline": "Bezwaar mogelijk tot en met",
    "content_type": "Bestandssoort", "cost_lines": "Kostenposten", "count": "Aantal", "deadline": "Termijn",
    "decision": "Besluit", "decision_reasons": "Redenen", "documents": "Documenten", "due_on": "Gepland op",
    "email": "E-mailadres", "ended_cases": "Beëindigde zaken", "ended_on": "Beëindigd op",
    "evaluation": "Evaluatie", "evaluations": "Evaluaties", "expected_volume": "Verwacht volume",
    "expires_at": "Verloopt op", "explanation": "Toelichting", "failed_logins": "Mislukte pogingen",
    "filename": "Bestandsnaam", "finding": "Bevinding", "follow_requests": "Verzoeken aan",
    "follow_up_deadline": "Volgbesluit uiterlijk", "frozen": "Vastgelegd", "frozen_at": "Vastgelegd op",
    "funders": "Financiers", "funding_model": "Financieringsvorm", "gap": "Financieringstekort",
    "gap_acceptance_reasons": "Redenen om het tekort te aanvaarden", "gate_met": "Kwaliteitsdrempel gehaald",
    "gates": "Kwaliteitsdrempels", "generated": "Door het register gekozen", "goal": "Doel", "goals": "Doelen",
    "illustrative": "Illustratief", "impact": "Verwachte transformatie", "initiative": "Initiatief",
    "insured": "Verzekerden", "insurer": "Verzekeraar", "insurers": "Verzekeraars", "key": "Verdeelsleutel",
    "kind": "Soort", "language": "Taal", "lapsed": "Vervallen momenten", "latest_verdict": "Laatste oordeel",
    "lead_insurer": "Leidende verzekeraar", "lines": "Regels", "market_share_set": "Marktaandelen (peildatum)",
    "measured_on": "Gemeten op", "measurements": "Metingen", "moment": "Evaluatiemoment",
    "moments": "Evaluatiemomenten", "municipalities": "Gemeenten", "must_change_password":
        "Moet het wachtwoord wijzigen", "name": "Naam", "note": "Notitie", "occurred_on": "Datum",
    "organisation": "Organisatie", "origin_latest_verdict": "Laatste oordeel van het origineel",
    "outcome": "Wat er met de zorg gebeurt", "party": "Partij", "peildatum": "Peildatum", "phase": "Fase",
    "prefix": "Begin van de sleutel", "pro_rata": "Naar rato", "providers": "Zorgaanbieders",
    "publish_on": "Publiceren op", "published_at": "Gepubliceerd op", "reason": "Reden",
    "reasoning": "Onderbouwing", "reasons": "Redenen", "regiobeeld": "Regiobeeld", "region": "Regio",
    "regions": "Regio's", "request": "Verzoek", "risk_level": "Risiconiveau", "role": "Rol", "rows": "Regels",
    "savings": "Besparing", "score": "Score", "session_version": "Sessieversie", "settlement": "Nacalculatie",
    "settlement_basis": "Verrekening op", "sha256": "Controlegetal (SHA-256)", "size_bytes": "Grootte (bytes)",
    "source": "Bron", "start_up_end": "Einde opstartfase", "state": "Stand", "statement": "Zienswijze",
    "status": "Status", "term_end": "Einde looptijd", "term_start": "Begin looptijd", "text": "Tekst",
    "theme": "Thema", "themes": "Thema's", "threshold": "Drempel", "title": "Titel",
    "tokens_revoked": "API-sleutels ingetrokken", "uncovered": "Niet gedekt", "unit": "Eenheid",
    "unit_price": "Prijs per eenheid", "units": "Eenheden", "user": "Gebruiker", "value": "Waarde",
    "verdict": "Oordeel", "version": "Versie", "weight": "Gewicht", "weighty": "Zwaarwegend onderbouwd",
    "year": "Jaar",
}
MONEY = {"actual_cost", "allocated", "amount_per_year", "annual_budget", "baseline_annual_cost", "co_funding",
         "gap", "savings", "uncovered", "unit_price"}
# Where a value's enum depends on what the entry is about ('state' of a pledge, a settlement, ...).
STATE_OF = {"Initiative": workflow.InitiativeState, "FollowRequest": workflow.FollowRequestState,
            "MediationCase": workflow.MediationState, "CoFundingPledge": funding.PledgeState,
            "Settlement": funding.SettlementState, "UseReport": funding.UseReportState}
FIELD_ENUMS = {"decision": DecisionKind, "conditions_verdict": ConditionsVerdict, "finding": Finding,
               "reason": MediationReason,
               "role": OrganisationRole, "phase": Phase, "verdict": monitoring.Verdict,
               "latest_verdict": monitoring.Verdict, "origin_latest_verdict": monitoring.Verdict,
               "evaluations": monitoring.Verdict, "outcome": monitoring.EndOutcome,
               "funding_model": funding.FundingModel, "settlement_basis": funding.SettlementBasis,
               "calendar": monitoring.MeasurementKind, "lapsed": monitoring.MeasurementKind}
KIND_OF = {"FollowRequest": RequestKind, "Organisation": OrganisationKind, "Initiative": InitiativeKind}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_MONEY = re.compile(r"-?\d+\.\d{2}")


def field(name: str) -> str:
    return FIELDS.get(name, name.replace("_", " ").capitalize())


def _enum_label(value: str | int, field_name: str) -> str | None:
    """The label of an enum value: by the field's own enum where the field says which, else the
    first enum that knows the value (members of different enums may share one)."""
    if field_name in FIELD_ENUMS and value in ENUMS[FIELD_ENUMS[field_name]]:
        return ENUMS[FIELD_ENUMS[field_name]][value]
    return next((table[value] for table in ENUMS.values() if value in table), None)


def value(name: str, raw: object, object_type: str = "", names: Mapping[str, str] | None = None) -> str:
    """How an audited value reads: money and dates the Dutch way, 'ja'/'nee', enum values and codes
    (criteria, organisations: `names`) by their label, lists and pairs in words; never a Python literal."""
    from innovatieregister.formatting import datum, euro, number

    names = names or {}

    def show(item: object) -> str:
        if item is None or item == "":
            return "—"
        if isinstance(item, bool):
            return "ja" if item else "nee"
        if isinstance(item, int):
            return number(item)
        if isinstance(item, dict):
            return "; ".join(f"{names.get(str(k), k)}: {show(v)}" for k, v in item.items()) or "—"
        if isinstance(item, list | tuple):
            return "; ".join(show(v) if not isinstance(v, list | tuple) else ", ".join(map(show, v))
                             for v in item) or "geen"
        text = str(item)
        if _ISO_MOMENT.match(text):
            try:
                return datum(datetime.fromisoformat(text))
            except ValueError:
                return text
        if _ISO_DATE.fullmatch(text):
            return datum(date.fromisoformat(text))
        if ":" in text and _ISO_DATE.fullmatch(text.partition(":")[2]):  # a calendar moment: 'baseline:2027-03-07'
            kind, _, day = text.partition(":")
            return f"{show(kind)} {datum(date.fromisoformat(day))}"
        if text in names:
            return names[text]
        if _MONEY.fullmatch(text) and name in MONEY | {"key", "lines", "cost_lines"}:
            try:
                return euro(Decimal(text))
            except InvalidOperation:
                return text
        return IMPACT_UNITS.get(text) or _enum_label(text, name) or text

    if name == "arguments" and isinstance(raw, list):
        return "; ".join(f"{names.get(a[0], a[0])} (sterkte {a[1]}, gewicht {a[2]})" for a in raw) or "geen"
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
    return show(raw)

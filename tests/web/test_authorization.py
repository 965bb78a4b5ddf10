"""Every route, as every role and as users of other organisations, with forged ids.

The table below names, per route, who may use it. Everyone else must be refused (or sent
to log in) and the database must be exactly as it was. Pages everyone may open must not
show what is not theirs. A route missing from the table fails the test.
"""

from __future__ import annotations

import copy
import io
import re

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import (
    ApiToken,
    ArgumentCriterion,
    AuditEntry,
    CoFundingPledge,
    Decision,
    Document,
    Follow,
    FollowRequest,
    Initiative,
    MarketShareSet,
    Measurement,
    MediationCase,
    MediatorNote,
    Notification,
    Organisation,
    PolicySetting,
    ProcessLogEntry,
    RegionalPlanVersion,
    StatementRequest,
    User,
)
from innovatieregister.models.funding import (
    SavingsAgreement,
    SavingsKeyPart,
    Settlement,
    SettlementContest,
    SettlementLine,
    UseReport,
    UseReportLine,
)
from innovatieregister.services import co_funding, documents
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from innovatieregister.services.co_funding import PledgeInput
from innovatieregister.services.documents import Upload
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput, register
from innovatieregister.services.tokens import create_token
from tests import flows, monitor_flows

LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER_INSURER, OUTSIDER_PROVIDER = (
    "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "ouderenzorg@demo.nl", "bemiddelaar@demo.nl",
    "beheerder@demo.nl", "inkoper@buitenstaander.test", "zorg@buitenstaander.test")
# Co-funders (issue 11): the municipality's confirmed pledge on the observation beds was frozen when
# they opened (the care office's lapsed); the care office has a pledge waiting on the secret draft.
CO_FUNDER, CARE_OFFICE = "gemeente@demo.nl", "zorgkantoor@demo.nl"
EVERYONE = {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER_INSURER, OUTSIDER_PROVIDER,
            CO_FUNDER, CARE_OFFICE}
INSURERS = {LEAD, FOLLOWER, OUTSIDER_INSURER}
PARTIES_OF_OPEN = {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN}
PARTIES_OF_DRAFT = {LEAD, PROVIDER, ADMIN}  # the draft involves only the hospital
PARTIES_OF_RUNNING = {LEAD, PROVIDER, MEDIATOR, ADMIN}  # the demo's start-up innovation: no one asked to follow
# The case is about DSW's decline: VGZ, another insurer asked, is no party to it, nor is the admin.
PARTIES_OF_CASE = {LEAD, PROVIDER, OTHER_PROVIDER, MEDIATOR}
# Who sees an initiative: its parties and the co-funders with a pledge on it (no party: no documents).
SEES_OPEN = PARTIES_OF_OPEN | {CO_FUNDER, CARE_OFFICE}
SEES_DRAFT = PARTIES_OF_DRAFT | {CARE_OFFICE}
WORKERS = {LEAD, PROVIDER, OTHER_PROVIDER}  # policies.works_on the open initiative
SECRET_DRAFT = "Geheim concept van Menzis"

PROVIDERS = {PROVIDER, OTHER_PROVIDER, OUTSIDER_PROVIDER}
WORK_LISTS = {
    **dict.fromkeys(("verzoeken", "te-doen", "besluiten-binnen", "geleid"), INSURERS),
    **dict.fromkeys(("evaluatiemomenten", "zienswijzen"), INSURERS | PROVIDERS),
    **dict.fromkeys(("betrokken", "overnameverzoeken"), PROVIDERS),
    **dict.fromkeys(("zaken", "zienswijzen-verlopen"), {MEDIATOR}),
    **dict.fromkeys(("toezeggingen", "meebetalen"), {CO_FUNDER, CARE_OFFICE}),
    **dict.fromkeys(("gebruikers", "marktaandelen"), {ADMIN}),
    "onbekend": set(),
}

# (method, path, who may, what the call sends). {open}, {draft}, {token} and {criterion} are
# filled in; {token} is always another user's token (a forged id for everyone).
ROUTES = [
    ("GET", "/", EVERYONE, None),
    # The dashboard's work lists whole (issue 13): each for the roles whose work it is.
    ("GET", "/werk/{work}", {MEDIATOR}, None),  # the mediator's cases
    *(("GET", f"/werk/{key}", who, None) for key, who in WORK_LISTS.items()),
    ("GET", "/gezondheid", EVERYONE | {None}, None),
    ("GET", "/woordenlijst", EVERYONE | {None}, None),  # the glossary (issue 13): public
    ("GET", "/inloggen", {None}, None),
    ("POST", "/inloggen", {None}, None),
    ("POST", "/uitloggen", EVERYONE, None),
    ("GET", "/regios/", EVERYONE, None),
    ("GET", "/regios/ZK22", EVERYONE, None),
    ("GET", "/regios/ZK22?formaat=csv&tabel=vastgelopen", EVERYONE, None),
    # Per insurer: staff of an insurer that leads somewhere (Menzis leads Twente, VGZ elsewhere), the
    # mediator and admins; for Twente only its leads (Menzis), the mediator and admins.
    ("GET", "/cijfers/verzekeraars", {LEAD, FOLLOWER, MEDIATOR, ADMIN}, None),
    ("GET", "/cijfers/verzekeraars?regio=ZK22", {LEAD, MEDIATOR, ADMIN}, None),
    ("GET", "/cijfers/verzekeraars?regio=ZK22&formaat=xlsx", {LEAD, MEDIATOR, ADMIN}, None),
    ("GET", "/cijfers/landelijk", {MEDIATOR, ADMIN}, None),
    ("GET", "/cijfers/landelijk?formaat=csv", {MEDIATOR, ADMIN}, None),
    ("GET", "/api/v1/regions/ZK22/dashboard", EVERYONE, None),
    ("GET", "/api/v1/dashboards/insurers", {MEDIATOR, ADMIN}, None),
    ("GET", "/api/v1/dashboards/insurers?region=ZK22", {LEAD, MEDIATOR, ADMIN}, None),
    ("GET", "/api/v1/dashboards/national", {MEDIATOR, ADMIN}, None),
    ("GET", "/initiatieven/", EVERYONE, None),
    ("GET", "/initiatieven/nieuw", INSURERS, None),
    ("POST", "/initiatieven/nieuw", {LEAD}, "registration"),
    ("GET", "/initiatieven/{open}", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}", SEES_DRAFT, None),
    ("GET", "/initiatieven/{open}/tijdlijn", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/tijdlijn", SEES_DRAFT, None),
    ("GET", "/initiatieven/{draft}/bewerken", {LEAD}, None),
    ("POST", "/initiatieven/{draft}/bewerken", {LEAD}, "registration"),
    ("POST", "/initiatieven/{open}/bewerken", set(), "registration"),
    ("GET", "/initiatieven/{draft}/openen", {LEAD}, None),
    ("POST", "/initiatieven/{draft}/openen", {LEAD}, None),
    ("GET", "/initiatieven/{open}/besluit", {FOLLOWER}, None),
    ("POST", "/initiatieven/{open}/besluit", {FOLLOWER}, "decision"),
    ("GET", "/besluiten/", INSURERS, None),
    ("GET", "/initiatieven/{open}/overnameverzoek", {PROVIDER, OTHER_PROVIDER}, None),
    ("POST", "/initiatieven/{open}/overnameverzoek", {PROVIDER, OTHER_PROVIDER}, "adoption-request"),
    ("POST", "/initiatieven/{draft}/overnameverzoek", set(), "adoption-request"),
    ("GET", "/overnameverzoeken/", EVERYONE, None),
    ("GET", "/overnameverzoeken/{adoption}/besluit", {FOLLOWER}, None),
    ("POST", "/overnameverzoeken/{adoption}/besluit", {FOLLOWER}, "decision"),
    # VGZ follows the open initiative on conditions: its lead judges them (issue 13).
    ("GET", "/verzoeken/{conditioned}/voorwaarden", {LEAD}, None),
    ("POST", "/verzoeken/{conditioned}/voorwaarden", {LEAD}, {"verdict": "rejected", "reasons": "x"}),
    ("POST", "/api/v1/follow-requests/{conditioned}/conditions", {LEAD}, {"verdict": "rejected", "reasons": "x"}),
    ("GET", "/bemiddeling/", EVERYONE, None),
    ("GET", "/initiatieven/{open}/bemiddeling", SEES_OPEN, None),
    ("POST", "/initiatieven/{open}/bemiddeling", {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER},
     {"reason": "disagreement", "statement": "x"}),
    ("POST", "/initiatieven/{draft}/bemiddeling", set(), {"reason": "disagreement", "statement": "x"}),
    ("GET", "/bemiddeling/{case}", PARTIES_OF_CASE, None),
    ("GET", "/bemiddeling/{case}/tijdlijn", PARTIES_OF_CASE, None),
    ("POST", "/bemiddeling/{case}/oppakken", {MEDIATOR}, None),
    ("POST", "/bemiddeling/{case}/zienswijze", {MEDIATOR}, {"party": "VGZ", "question": "x"}),
    ("POST", "/bemiddeling/{case}/notitie", {MEDIATOR}, {"body": "x"}),
    ("POST", "/bemiddeling/{case}/bevinding", {MEDIATOR}, {"finding": "settled", "reasoning": "x", "confirmed": "ja"}),
    ("POST", "/bemiddeling/{case}/intrekken", {LEAD}, None),  # the confirmation step
    ("POST", "/bemiddeling/{case}/intrekken", {LEAD}, {"confirmed": "ja"}),
    ("POST", "/bemiddeling/zienswijzen/{statement}", {PROVIDER}, {"answer": "x"}),
    ("GET", "/register/", EVERYONE, None),
    ("GET", "/register/{open}", EVERYONE, None),
    ("GET", "/register/{draft}", set(), None),
    ("POST", "/register/{open}/overnemen", {LEAD, FOLLOWER}, {"region": "ZK16"}),
    ("POST", "/register/{draft}/overnemen", set(), {"region": "ZK16"}),
    ("GET", "/initiatieven/{running}", PARTIES_OF_RUNNING, None),
    ("GET", "/api/v1/initiatives/{running}", PARTIES_OF_RUNNING, None),
    ("GET", "/initiatieven/{running}/opschalen", {LEAD}, None),
    ("POST", "/initiatieven/{running}/opschalen", {LEAD}, None),
    ("POST", "/initiatieven/{open}/opschalen", set(), None),  # a JZOJP intervention: no phase move
    ("GET", "/profiel", EVERYONE, None),
    ("POST", "/profiel", EVERYONE, {"name": "mijn token"}),
    ("POST", "/profiel/tokens/{token}/intrekken", set(), None),
    ("GET", "/profiel/wachtwoord", EVERYONE, None),
    ("POST", "/profiel/wachtwoord", EVERYONE, {"current_password": "x", "new_password": "een-nieuw-wachtwoord",
                                               "repeat_password": "een-nieuw-wachtwoord"}),
    ("POST", "/profiel/meldingen", EVERYONE, {"email": "decision.recorded"}),
    ("POST", "/profiel/taal", EVERYONE, {"language": "en"}),
    ("GET", "/meldingen", EVERYONE, None),
    ("POST", "/meldingen/gelezen", EVERYONE, None),
    ("GET", "/beheer/marktaandelen", {ADMIN}, None),
    ("POST", "/beheer/marktaandelen", {ADMIN}, None),
    ("GET", "/beheer/gebruikers", {ADMIN}, None),
    ("GET", "/beheer/gebruikers/nieuw", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/nieuw", {ADMIN}, {"email": "nieuw@buitenstaander.test", "organisation": "VGZ",
                                                   "role": "insurer_staff", "password": ""}),
    ("GET", "/beheer/gebruikers/{user}", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/blokkeren", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/deblokkeren", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/wachtwoord", {ADMIN}, {"password": ""}),
    ("GET", "/beheer/criteria", {ADMIN}, None),
    ("POST", "/beheer/criteria", {ADMIN}, {"code": "nieuw", "name": "Nieuw", "weight": "2"}),
    ("GET", "/beheer/criteria/{criterion}", {ADMIN}, None),
    ("POST", "/beheer/criteria/{criterion}", {ADMIN}, {"code": "financial", "name": "F", "weight": "9"}),
    ("POST", "/beheer/drempel", {ADMIN}, {"t-threshold": "1"}),
    # The life cycle (issue 10). The open initiative is in mediation: nobody may take a life-cycle
    # step on it (tests/web/test_lifecycle.py has the matrix on a running initiative).
    ("GET", "/initiatieven/{open}/looptijd", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/looptijd", SEES_DRAFT, None),
    ("GET", "/initiatieven/{open}/looptijd/activeren", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/activeren", set(), {"gap_acceptance_reasons": "x", "confirmed": "ja"}),
    ("GET", "/initiatieven/{open}/looptijd/kalender", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/kalender", set(), {"moment_1": "2027-01-01"}),
    ("GET", "/initiatieven/{open}/looptijd/evaluatie", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/evaluatie", set(), {"kind": "final", "verdict": "achieved",
                                                                 "reasoning": "x"}),
    ("GET", "/initiatieven/{open}/looptijd/verlengen", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/verlengen", set(), {"new_end": "2031-01-01", "reasons": "x"}),
    ("GET", "/initiatieven/{open}/looptijd/beeindigen", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/beeindigen", set(), {"outcome": "care_returns", "reasons": "x",
                                                                  "confirmed": "ja"}),
    ("GET", "/initiatieven/{open}/intrekken", {LEAD}, None),
    ("POST", "/initiatieven/{open}/intrekken", {LEAD}, {"reasons": "x", "confirmed": "ja"}),
    ("GET", "/looptijd/stopcriteria", {MEDIATOR}, None),
    ("POST", "/api/v1/initiatives/{open}/activate", set(), {"gap_acceptance_reasons": "x"}),
    ("GET", "/api/v1/initiatives/{open}/calendar", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/calendar", SEES_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/calendar", set(), {"moments": [{"id": 1, "due_on": "2027-01-01"}]}),
    ("GET", "/api/v1/initiatives/{open}/evaluations", SEES_OPEN, None),
    ("POST", "/api/v1/initiatives/{open}/evaluations", set(), {"kind": "final", "verdict": "achieved",
                                                                "reasoning": "x"}),
    ("POST", "/api/v1/initiatives/{open}/extend", set(), {"new_end": "2031-01-01", "reasons": "x"}),
    ("POST", "/api/v1/initiatives/{open}/end", set(), {"outcome": "care_returns", "reasons": "x"}),
    ("POST", "/api/v1/initiatives/{open}/withdraw", {LEAD}, {"reasons": "x"}),
    ("POST", "/api/v1/initiatives/{running}/withdraw", set(), {"reasons": "x"}),  # it runs: too late
    ("GET", "/api/v1/openapi.json", EVERYONE | {None}, None),
    ("GET", "/api/v1/regions", EVERYONE, None),
    ("GET", "/api/v1/criteria", EVERYONE, None),
    ("GET", "/api/v1/initiatives", EVERYONE, None),
    ("POST", "/api/v1/initiatives", {LEAD}, "api-registration"),
    ("GET", "/api/v1/initiatives/{open}", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}", SEES_DRAFT, None),
    ("POST", "/api/v1/initiatives/{draft}/open", {LEAD}, None),
    ("GET", "/api/v1/initiatives/{open}/cost-shares", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/cost-shares", SEES_DRAFT, None),
    ("GET", "/api/v1/follow-requests", EVERYONE, None),
    ("GET", "/api/v1/adoption-requests", EVERYONE, None),
    ("POST", "/api/v1/initiatives/{open}/adoption-requests", {PROVIDER, OTHER_PROVIDER}, "api-adoption-request"),
    ("POST", "/api/v1/initiatives/{draft}/adoption-requests", set(), "api-adoption-request"),
    ("POST", "/api/v1/adoption-requests/{adoption}/decision", {FOLLOWER}, {"decision": "follow"}),
    ("POST", "/api/v1/initiatives/{open}/adopt", {LEAD, FOLLOWER}, {"region": "ZK16"}),
    ("POST", "/api/v1/initiatives/{draft}/adopt", set(), {"region": "ZK16"}),
    ("POST", "/api/v1/initiatives/{running}/scale-up", {LEAD}, None),
    ("POST", "/api/v1/initiatives/{open}/scale-up", set(), None),
    ("POST", "/api/v1/initiatives/{open}/decision", {FOLLOWER}, {"decision": "decline", "arguments": [
        {"criterion": "financial", "strength": 3, "explanation": "x"}], "insurer": "VGZ"}),
    # The monitors (issue 10): measurements and documents by the lead and the providers involved, the
    # process log also by the insurers that fund it (VGZ follows); documents seen by the parties only.
    ("GET", "/initiatieven/{open}/monitor", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/monitor", SEES_DRAFT, None),
    ("POST", "/initiatieven/{open}/monitor/metingen", WORKERS, "measurement"),
    ("POST", "/initiatieven/{draft}/monitor/metingen", {LEAD, PROVIDER}, "measurement"),
    ("POST", "/initiatieven/{open}/monitor/csv", WORKERS, "measurements-csv"),
    ("POST", "/initiatieven/{open}/monitor/proceslogboek", WORKERS | {FOLLOWER}, "process-entry"),
    ("POST", "/initiatieven/{draft}/monitor/proceslogboek", {LEAD, PROVIDER}, "process-entry"),
    ("GET", "/initiatieven/{open}/documenten", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/documenten", PARTIES_OF_DRAFT, None),
    ("POST", "/initiatieven/{open}/documenten", WORKERS, "document"),
    ("POST", "/initiatieven/{draft}/documenten", {LEAD, PROVIDER}, "document"),
    ("GET", "/initiatieven/{open}/documenten/{document}", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/documenten/{draft_document}", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{open}/documenten/{draft_document}", set(), None),  # another initiative's document
    ("GET", "/api/v1/initiatives/{open}/measurements", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/measurements", SEES_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/measurements", WORKERS, "api-measurement"),
    ("GET", "/api/v1/initiatives/{open}/process-log", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/process-log", SEES_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/process-log", WORKERS | {FOLLOWER}, "api-process-entry"),
    ("GET", "/api/v1/initiatives/{open}/documents", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/documents", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/documents", WORKERS, "document"),
    ("GET", "/api/v1/documents/{document}/content", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/documents/{draft_document}/content", PARTIES_OF_DRAFT, None),
    # Co-funding (issue 11): the lead's pledges before opening, the co-funder's own answer; the exports
    # for whoever sees the initiative.
    ("GET", "/initiatieven/{open}/medefinanciering", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/medefinanciering", SEES_DRAFT, None),
    ("POST", "/initiatieven/{draft}/medefinanciering", {LEAD}, {"organisation": "GEM-ENSCHEDE",
                                                               "amount_per_year": "1,00"}),
    ("POST", "/initiatieven/{open}/medefinanciering", set(), {"organisation": "GEM-ENSCHEDE",
                                                              "amount_per_year": "1,00"}),
    ("GET", "/medefinanciering/{pledge}/wijzigen", {LEAD}, None),
    ("POST", "/medefinanciering/{pledge}/wijzigen", {LEAD}, {"amount_per_year": "2,00"}),
    ("GET", "/medefinanciering/{frozen_pledge}/wijzigen", set(), None),
    ("POST", "/medefinanciering/{pledge}/intrekken", {LEAD}, None),
    ("POST", "/medefinanciering/{frozen_pledge}/intrekken", set(), None),
    ("POST", "/medefinanciering/{pledge}/besluit", {CARE_OFFICE}, {"decision": "confirm"}),
    ("POST", "/medefinanciering/{frozen_pledge}/besluit", set(), {"decision": "confirm"}),
    ("GET", "/initiatieven/{open}/verdeelstaat", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/verdeelstaat", SEES_DRAFT, None),
    ("GET", "/initiatieven/{open}/besluiten-export", SEES_OPEN, None),
    ("GET", "/initiatieven/{draft}/besluiten-export", SEES_DRAFT, None),
    ("GET", "/api/v1/initiatives/{open}/co-funding", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/co-funding", SEES_DRAFT, None),
    ("POST", "/api/v1/initiatives/{draft}/co-funding", {LEAD}, {"organisation": "GEM-ENSCHEDE",
                                                               "amount_per_year": "1.00"}),
    ("POST", "/api/v1/initiatives/{open}/co-funding", set(), {"organisation": "GEM-ENSCHEDE",
                                                              "amount_per_year": "1.00"}),
    ("PUT", "/api/v1/co-funding/{pledge}", {LEAD}, {"amount_per_year": "2.00"}),
    ("PUT", "/api/v1/co-funding/{frozen_pledge}", set(), {"amount_per_year": "2.00"}),
    ("POST", "/api/v1/co-funding/{pledge}/withdraw", {LEAD}, None),
    ("POST", "/api/v1/co-funding/{frozen_pledge}/withdraw", set(), None),
    ("POST", "/api/v1/co-funding/{pledge}/decision", {CARE_OFFICE}, {"decision": "confirm"}),
    ("POST", "/api/v1/co-funding/{frozen_pledge}/decision", set(), {"decision": "confirm"}),
    ("GET", "/api/v1/initiatives/{open}/decisions", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/decisions", SEES_DRAFT, None),
    # Following an initiative (issue 12): anyone logged in, any initiative in the register; not a draft.
    ("POST", "/initiatieven/{open}/volgen", EVERYONE, None),
    ("POST", "/initiatieven/{draft}/volgen", set(), None),
    ("POST", "/initiatieven/{open}/ontvolgen", EVERYONE, None),
    ("POST", "/initiatieven/{draft}/ontvolgen", set(), None),
    ("GET", "/gevolgd", EVERYONE, None),
    ("POST", "/api/v1/initiatives/{open}/follow", EVERYONE, None),
    ("POST", "/api/v1/initiatives/{draft}/follow", set(), None),
    ("DELETE", "/api/v1/initiatives/{open}/follow", EVERYONE, None),
    ("DELETE", "/api/v1/initiatives/{draft}/follow", set(), None),
    ("GET", "/api/v1/following", EVERYONE, None),
    # What if (issue 12): the admin on the criteria, the mediator on a case (and both in the API); GET, nothing stored.
    ("GET", "/beheer/criteria/wat-als", {ADMIN}, None),
    ("GET", "/bemiddeling/{case}/wat-als", {MEDIATOR}, None),
    ("POST", "/api/v1/criteria/what-if", {MEDIATOR, ADMIN}, {"weights": {"financial": 9}, "threshold": 1}),
    # Regional agreements (issue 12): everyone reads a region's plan; its leads (Menzis here) and admins
    # keep it. A plan is versioned: version 1 is the demo's.
    ("GET", "/regios/ZK22/plan", EVERYONE, None),
    ("GET", "/regios/ZK22/plan/versies/{plan_version}", EVERYONE, None),
    ("GET", "/regios/ZK22/plan/bewerken", {LEAD, ADMIN}, None),
    ("POST", "/regios/ZK22/plan/bewerken", {LEAD, ADMIN}, "plan"),
    ("GET", "/api/v1/regions/ZK22/plan", EVERYONE, None),
    ("GET", "/api/v1/regions/ZK22/plan/versions/{plan_version}", EVERYONE, None),
    ("PUT", "/api/v1/regions/ZK22/plan", {LEAD, ADMIN}, "api-plan"),
    # The public register (issue 12): the demo's running innovation is published, the others are not.
    ("GET", "/openbaar/", EVERYONE | {None}, None),
    ("GET", "/openbaar/initiatieven/{running}", EVERYONE | {None}, None),
    ("GET", "/openbaar/initiatieven/{open}", set(), None),
    ("GET", "/openbaar/initiatieven/{draft}", set(), None),
    ("GET", "/openbaar/open-data", EVERYONE | {None}, None),
    ("GET", "/openbaar/open-data/initiatieven.csv", EVERYONE | {None}, None),
    ("GET", "/openbaar/open-data/initiatieven.json", EVERYONE | {None}, None),
    ("GET", "/initiatieven/{open}/publicatie", {LEAD}, None),
    ("GET", "/initiatieven/{draft}/publicatie", {LEAD}, None),
    ("POST", "/initiatieven/{open}/publicatie", {LEAD}, {"publish_on": ""}),
    ("POST", "/initiatieven/{draft}/publicatie", set(), {"publish_on": ""}),  # a draft: never published
    ("POST", "/initiatieven/{running}/publicatie/intrekken", {LEAD}, None),
    ("POST", "/initiatieven/{open}/publicatie/intrekken", set(), None),  # not published: nothing to take out
    ("GET", "/api/v1/public/initiatives", EVERYONE | {None}, None),
    ("GET", "/api/v1/public/initiatives/{running}", EVERYONE | {None}, None),
    ("GET", "/api/v1/public/initiatives/{open}", set(), None),
    ("GET", "/api/v1/public/initiatives/{draft}", set(), None),
    ("POST", "/api/v1/initiatives/{open}/publication", {LEAD}, {"publish_on": None}),
    ("POST", "/api/v1/initiatives/{draft}/publication", set(), {"publish_on": None}),
    ("DELETE", "/api/v1/initiatives/{running}/publication", {LEAD}, None),
    ("DELETE", "/api/v1/initiatives/{open}/publication", set(), None),
    # Shared savings (issue 11, part 3): the lead records the agreement of a draft; once open it is frozen.
    ("GET", "/initiatieven/{open}/besparingen", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/besparingen", PARTIES_OF_DRAFT, None),
    ("POST", "/initiatieven/{draft}/besparingen", {LEAD}, "savings"),
    ("POST", "/initiatieven/{open}/besparingen", set(), "savings"),
    ("GET", "/api/v1/initiatives/{open}/savings-agreement", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/savings-agreement", PARTIES_OF_DRAFT, None),
    ("PUT", "/api/v1/initiatives/{draft}/savings-agreement", {LEAD}, "api-savings"),
    ("PUT", "/api/v1/initiatives/{open}/savings-agreement", set(), "api-savings"),
    ("GET", "/api/v1/initiatives/{open}/savings", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/savings", PARTIES_OF_DRAFT, None),
    # Settlement (issue 11). The open initiative is not activated: nothing to settle. The running one
    # has a settlement of its first year (written as a row: a start-up innovation has no frozen key,
    # so proposing is refused, 409) funded by the lead alone, and a provider's use report.
    ("GET", "/initiatieven/{open}/nacalculatie", SEES_OPEN, None),  # a co-funder with a pledge too
    ("GET", "/initiatieven/{draft}/nacalculatie", SEES_DRAFT, None),
    ("GET", "/initiatieven/{running}/nacalculatie", PARTIES_OF_RUNNING, None),
    ("POST", "/initiatieven/{open}/nacalculatie", set(), {"year": "2026", "actual_costs-0": "1,00"}),
    ("POST", "/initiatieven/{running}/nacalculatie", set(), {"year": "2026", "actual_costs-0": "1,00"}),
    ("POST", "/initiatieven/{running}/nacalculatie/gebruik", set(), {"use_year": "2026", "use-MENZIS": "1"}),
    ("POST", "/initiatieven/{running}/nacalculatie/gebruik/{use_report}", {LEAD}, {"decision": "confirm"}),
    ("GET", "/initiatieven/{running}/nacalculatie/{settlement}/export", PARTIES_OF_RUNNING, None),
    ("GET", "/initiatieven/{open}/nacalculatie/{settlement}/export", set(), None),  # another initiative's
    ("POST", "/initiatieven/{running}/nacalculatie/{settlement}/bezwaar", set(), {"reasons": "x"}),
    ("POST", "/initiatieven/{running}/nacalculatie/bezwaar/{settlement}/intrekken", set(), None),
    ("POST", "/initiatieven/{running}/nacalculatie/{settlement}/bemiddeling", set(), {"statement": "x"}),
    ("GET", "/api/v1/initiatives/{running}/settlements", PARTIES_OF_RUNNING, None),
    ("GET", "/api/v1/initiatives/{open}/settlements", SEES_OPEN, None),
    ("POST", "/api/v1/initiatives/{running}/settlements", set(), {"period": "2026", "actual_cost": "1.00"}),
    ("GET", "/api/v1/initiatives/{running}/settlements/{settlement}", PARTIES_OF_RUNNING, None),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/contest", set(), {"reasons": "x"}),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/contest/withdraw", set(), None),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/mediation", set(), {"statement": "x"}),
    ("GET", "/api/v1/initiatives/{running}/use-reports", PARTIES_OF_RUNNING, None),
    ("POST", "/api/v1/initiatives/{running}/use-reports", set(), {"period": "2026", "use": [
        {"insurer": "MENZIS", "units": 1}]}),
    ("POST", "/api/v1/use-reports/{use_report}/decision", {LEAD}, {"decision": "confirm"}),
    # The rest of the UI's use cases in the API (issue 14), with the web's policies.
    ("GET", "/api/v1/mediation-cases", EVERYONE, None),
    ("GET", "/api/v1/mediation-cases/{case}", PARTIES_OF_CASE, None),
    ("GET", "/api/v1/mediation-cases/{case}/timeline", PARTIES_OF_CASE, None),
    ("POST", "/api/v1/initiatives/{open}/mediation", {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER},
     {"reason": "disagreement", "statement": "x"}),
    ("POST", "/api/v1/initiatives/{draft}/mediation", set(), {"reason": "disagreement", "statement": "x"}),
    ("POST", "/api/v1/mediation-cases/{case}/take", {MEDIATOR}, None),
    ("POST", "/api/v1/mediation-cases/{case}/statements", {MEDIATOR}, {"party": "VGZ", "question": "x"}),
    ("POST", "/api/v1/mediation-cases/{case}/notes", {MEDIATOR}, {"body": "x"}),
    ("POST", "/api/v1/mediation-cases/{case}/finding", {MEDIATOR}, {"finding": "settled", "reasoning": "x"}),
    ("POST", "/api/v1/mediation-cases/{case}/withdraw", {LEAD}, None),
    ("POST", "/api/v1/mediation-statements/{statement}/answer", {PROVIDER}, {"answer": "x"}),
    ("GET", "/api/v1/initiatives/{open}/timeline", SEES_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/timeline", SEES_DRAFT, None),
    ("GET", "/api/v1/notifications", EVERYONE, None),
    ("POST", "/api/v1/notifications/read", EVERYONE, None),
    ("POST", "/api/v1/notifications/{notification}/read", set(), None),  # another user's
    ("GET", "/api/v1/market-share-sets", EVERYONE, None),
    ("GET", "/api/v1/market-share-sets/{share_set}", EVERYONE, None),
    ("POST", "/api/v1/market-share-sets", {ADMIN}, {"peildatum": "2030-01-01", "source": "x", "file": "x"}),
    ("GET", "/api/v1/users", {ADMIN}, None),
    ("POST", "/api/v1/users", {ADMIN}, {"email": "nieuw@buitenstaander.test", "organisation": "VGZ",
                                        "role": "insurer_staff"}),
    ("GET", "/api/v1/users/{user}", {ADMIN}, None),
    ("POST", "/api/v1/users/{user}/disable", {ADMIN}, None),
    ("POST", "/api/v1/users/{user}/enable", {ADMIN}, None),
    ("POST", "/api/v1/users/{user}/password", {ADMIN}, {"password": None}),
    ("GET", "/api/v1/users/{user}/tokens", {ADMIN}, None),
    ("GET", "/api/v1/tokens", EVERYONE, None),
    ("POST", "/api/v1/tokens", EVERYONE, {"name": "mijn token"}),
    ("POST", "/api/v1/tokens/{token}/revoke", set(), None),  # another user's
]
REFUSED = {302, 401, 403, 404, 405, 409}  # 409: refused by the state of things, e.g. a draft
ILL_FORMED = {400, 422}  # refused for bad input before any authority is used


def _state(db) -> tuple:
    """Everything a forbidden call could change."""
    def rows(query):
        return tuple(tuple(r) for r in db.session.execute(query).all())

    return (
        rows(sa.select(Initiative.id, Initiative.title, Initiative.status, Initiative.phase,
                       Initiative.market_share_set_id, Initiative.updated_at, Initiative.published_at,
                       Initiative.publish_on).order_by(Initiative.id)),
        rows(sa.select(FollowRequest.id, FollowRequest.state, FollowRequest.deadline).order_by(FollowRequest.id)),
        rows(sa.select(Decision.id, Decision.standing, Decision.kind).order_by(Decision.id)),
        rows(sa.select(User.id, User.session_version, User.active, User.role, User.password_hash,
                       User.must_change_password, User.failed_logins, User.locked_until).order_by(User.id)),
        rows(sa.select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at).order_by(ApiToken.id)),
        rows(sa.select(ArgumentCriterion.id, ArgumentCriterion.weight, ArgumentCriterion.name).order_by(ArgumentCriterion.id)),
        rows(sa.select(PolicySetting.key, PolicySetting.value)),
        rows(sa.select(MarketShareSet.id)),
        rows(sa.select(MediationCase.id, MediationCase.state, MediationCase.finding).order_by(MediationCase.id)),
        rows(sa.select(StatementRequest.id, StatementRequest.answer).order_by(StatementRequest.id)),
        rows(sa.select(MediatorNote.id)),
        rows(sa.select(Notification.id, Notification.read_at).order_by(Notification.id)),
        rows(sa.select(Measurement.id, Measurement.value).order_by(Measurement.id)),
        rows(sa.select(ProcessLogEntry.id).order_by(ProcessLogEntry.id)),
        rows(sa.select(Document.id, Document.sha256).order_by(Document.id)),
        rows(sa.select(CoFundingPledge.id, CoFundingPledge.state, CoFundingPledge.amount_per_year,
                       CoFundingPledge.conditions, CoFundingPledge.frozen_at).order_by(CoFundingPledge.id)),
        rows(sa.select(Follow.id, Follow.user_id, Follow.initiative_id).order_by(Follow.id)),
        rows(sa.select(RegionalPlanVersion.id, RegionalPlanVersion.regiobeeld).order_by(RegionalPlanVersion.id)),
        rows(sa.select(Initiative.id, Initiative.theme_id).order_by(Initiative.id)),
        rows(sa.select(SavingsAgreement.id, SavingsAgreement.baseline_annual_cost, SavingsAgreement.frozen_at)),
        rows(sa.select(SavingsKeyPart.id, SavingsKeyPart.percentage).order_by(SavingsKeyPart.id)),
        rows(sa.select(Settlement.id, Settlement.state, Settlement.version).order_by(Settlement.id)),
        rows(sa.select(SettlementContest.id, SettlementContest.resolved_at).order_by(SettlementContest.id)),
        rows(sa.select(UseReport.id, UseReport.state).order_by(UseReport.id)),
        db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action != "user.login")),
    )


@pytest.fixture
def world(app, demo):
    """The open observation beds (VGZ has a request), a secret draft, and two outsiders."""
    open_id = flows.open_observation_beds(app, demo)
    adoption_id = flows.ask_adoption(app, demo, PROVIDER, "VGZ")  # before VGZ follows
    flows.decide(app, demo, FOLLOWER, "follow", conditions=flows.CONDITIONS)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, statement_id = flows.mediation_on_dsw(app, demo, ask_statement_of="ZH-TWENTE")
    with app.app_context():
        db = demo
        outsider = Organisation(kind="insurer", name="Buitenstaander Verzekeringen", code="BUITEN")
        outsider_provider = Organisation(kind="provider", name="Buitenstaander Zorg", code="BUITEN-ZORG")
        db.session.add_all([outsider, outsider_provider])
        db.session.commit()
        create_user(OUTSIDER_INSURER, "x", "BUITEN", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))
        create_user(OUTSIDER_PROVIDER, "x", "BUITEN-ZORG", "provider_staff", "een-lang-wachtwoord",
                    Actor.command("t"))
        hospital = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ZH-TWENTE"))
        draft = register(flows.user(db, LEAD), InitiativeInput(
            title=SECRET_DRAFT, region_code="ZK22", kind="innovation", phase="start_up",
            provider_ids=[hospital.id], cross_institution_justification="Met huisartsen en gemeente.",
            cost_lines=[CostLineInput("ict", "Tariefafspraak 4711", "98765.43")]), flows.TODAY)
        tokens = {email: create_token(flows.user(db, email), "t", clock.now())[1] for email in EVERYONE}
        # A token of a user outside the matrix: revoking it is a forged id for everyone.
        foreign_token = create_token(flows.user(db, "cz@demo.nl"), "van CZ", clock.now())[0].id
        criterion = db.session.scalar(sa.select(ArgumentCriterion.id).where(ArgumentCriterion.code == "financial"))
        draft_id = draft.id
        running = flows.monitored_innovation_id(app, db)  # the demo's start-up innovation, evaluated on track
        other_user = flows.user(db, "cz@demo.nl").id  # a user outside the matrix, for the admin pages
        # A notification of a user outside the matrix: marking it read is a forged id for everyone.
        notification = db.session.scalar(sa.select(Notification.id).where(
            Notification.user_id == flows.user(db, "dsw@demo.nl").id).limit(1))
        share_set = db.session.scalar(sa.select(MarketShareSet.id).limit(1))
        document = documents.upload(flows.user(db, LEAD), open_id, Upload("evaluatie.pdf", monitor_flows.PDF)).id
        draft_document = documents.upload(flows.user(db, LEAD), draft_id, Upload("concept.pdf", monitor_flows.PDF)).id
        pledge = co_funding.add_pledge(flows.user(db, LEAD), draft_id, PledgeInput("ZKT-TWENTE", "5000.00")).id
        frozen_pledge = db.session.scalar(sa.select(CoFundingPledge.id).where(
            CoFundingPledge.initiative_id == open_id, CoFundingPledge.state == "confirmed"))
        settlement, use_report = _running_settlement(db, running)
        conditioned = db.session.scalar(sa.select(FollowRequest.id).where(
            FollowRequest.initiative_id == open_id, FollowRequest.insurer_id == flows.user(db, FOLLOWER).organisation_id,
            FollowRequest.kind == "follow"))
    return {"work": "zaken", "conditioned": conditioned, "settlement": settlement, "use_report": use_report, "open": open_id, "draft": draft_id, "running": running, "token": foreign_token, "criterion": criterion, "user": other_user,
            "adoption": adoption_id, "case": case_id, "statement": statement_id, "tokens": tokens,
            "document": document, "draft_document": draft_document, "pledge": pledge,
            "frozen_pledge": frozen_pledge, "plan_version": 1,
            "notification": notification, "share_set": share_set}


def _running_settlement(db, initiative_id: int) -> tuple[int, int]:
    """A settlement of the running innovation's first year, funded by the lead alone, and a use
    report a provider submitted (rows: what the services would write)."""
    from datetime import date
    from decimal import Decimal

    initiative = db.session.get(Initiative, initiative_id)
    lead, hospital = flows.user(db, LEAD), flows.user(db, PROVIDER)
    amount = Decimal("1000.00")
    settlement = Settlement(initiative_id=initiative_id, year=initiative.term_start.year, basis="market_share",
                            actual_cost=amount, co_funding=Decimal("0.00"), allocated=amount,
                            uncovered=Decimal("0.00"), contest_deadline=date(2100, 1, 1), proposed_by_id=lead.id,
                            lines=[SettlementLine(insurer_id=lead.organisation_id, insured=1, funds=True,
                                                  allocated=amount, advance=amount, balance=Decimal("0.00"))])
    report = UseReport(initiative_id=initiative_id, year=initiative.term_start.year, state="submitted",
                       organisation_id=hospital.organisation_id, submitted_by_id=hospital.id,
                       lines=[UseReportLine(insurer_id=lead.organisation_id, units=1)])
    db.session.add_all([settlement, report])
    db.session.commit()
    return settlement.id, report.id


# The body each ROUTES entry sends, by name (a dict in ROUTES is sent as it is).
PAYLOADS = {
    "registration": {"data": {"title": "Ingebroken", "region": "ZK22", "kind": "innovation", "phase": "scale_up",
                              "cross_institution_justification": "x", "cost_lines-0-category": "ict",
                              "cost_lines-0-description": "x", "cost_lines-0-amount": "1.00",
                              "lead_insurer_id": "1"}},
    "api-registration": {"json": {"title": "Ingebroken", "region": "ZK22", "kind": "innovation", "phase": "scale_up",
                                  "cross_institution_justification": "x", "lead_insurer": "ACHMEA",
                                  "cost_lines": [{"category": "ict", "description": "x", "amount": "1.00"}]}},
    "plan": {"data": {"regiobeeld": "Ingebroken regiobeeld", "based_on_version": "1",
                      "themes-0-title": "Ingebroken", "themes-0-start_year": "2026", "themes-0-end_year": "2027",
                      "themes-0-goals-0-metric": "x", "themes-0-goals-0-baseline": "1",
                      "themes-0-goals-0-target": "2", "themes-0-goals-0-target_date": "2027-12-31"}},
    "api-plan": {"json": {"regiobeeld": "Ingebroken regiobeeld", "themes": [{
        "title": "Ingebroken", "start_year": 2026, "end_year": 2027,
        "goals": [{"metric": "x", "baseline": "1", "target": "2", "target_date": "2027-12-31"}]}]}},
    "adoption-request": {"data": {"insurer": "CZ", "impact_description": "ELV in plaats van ziekenhuis",
                                  "impact_volume": "300", "impact_unit": "bed_days", "impact_by": "2027-12-31",
                                  "requesting_provider_id": "1"}},
    "api-adoption-request": {"json": {"insurer": "CZ", "requested_by": "VVT-TWENTE", "impact": {
        "description": "ELV", "volume": 300, "unit": "bed_days", "by": "2027-12-31"}}},
    "decision": {"data": {"decision": "decline", "action": "decide", "arguments-0-criterion": "financial",
                          "arguments-0-strength": "3", "arguments-0-explanation": "x"}},
    "measurement": {"data": {"meting-goal": "1", "meting-kind": "baseline", "meting-measured_on": "2026-01-01",
                             "meting-value": "2,9", "organisation_id": "1"}},
    "api-measurement": {"json": {"goal_id": 1, "kind": "baseline", "measured_on": "2026-01-01", "value": "2.9"}},
    "process-entry": {"data": {"log-occurred_on": "2026-01-01", "log-kind": "agreement", "log-text": "x"}},
    "api-process-entry": {"json": {"occurred_on": "2026-01-01", "kind": "agreement", "text": "x"}},
    "savings": {"data": {"baseline_annual_cost": "1.000,00", "key-0-party": "insurers", "key-0-percentage": "100"}},
    "api-savings": {"json": {"baseline_annual_cost": "1000.00", "key": [{"party": "insurers", "percentage": "100"}]}},
}
# A file is read once: made afresh for every request.
UPLOADS = {
    "measurements-csv": lambda: {"upload": {"csv-file": (
        io.BytesIO(b"doel;soort;datum;waarde\n1;nulmeting;2026-01-01;2,9\n"), "metingen.csv")}},
    "document": lambda: {"upload": {"file": (io.BytesIO(monitor_flows.PDF), "ingebroken.pdf"),
                                    "title": "Ingebroken"}},
}


def _payload(kind, world):
    if isinstance(kind, dict):
        return {"json": kind}
    if kind in UPLOADS:
        return UPLOADS[kind]()
    return copy.deepcopy(PAYLOADS.get(kind, {}))


def _call(app, client, method, path, who, world, payload):
    kwargs = _payload(payload, world)
    if "upload" in kwargs:  # a file: multipart, on the web and in the API alike
        kwargs = {"data": kwargs["upload"], "content_type": "multipart/form-data"}
        if path.startswith("/api/"):
            kwargs["headers"] = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
        return client.open(path, method=method, **kwargs)
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
        if "data" in kwargs:
            kwargs = {"json": kwargs["data"]}
        return client.open(path, method=method, headers=headers, **kwargs)
    if "json" in kwargs:
        kwargs = {"data": kwargs["json"]}
    return client.open(path, method=method, **kwargs)


def test_the_table_covers_every_route(app):
    described = {(m, re.sub(r"\{[^}]+\}", "*", p).replace("/ZK22", "/*")) for m, p, _, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            shape = re.sub(r"<[^>]+>", "*", rule.rule)
            assert (method, shape) in described, f"{method} {rule.rule} is missing from ROUTES"


@pytest.mark.parametrize("who", sorted(EVERYONE) + [None], ids=lambda w: w or "anonymous")
def test_nobody_writes_or_reads_what_is_not_theirs(app, demo, world, who):
    client = app.test_client()
    if who is not None:
        response = client.post("/inloggen", data={"email": who, "password": "demo-wachtwoord-2026"
                                                  if who.endswith("@demo.nl") else "een-lang-wachtwoord"})
        assert response.status_code == 302
    for method, template, allowed, payload in ROUTES:
        path = template.format(**{k: v for k, v in world.items() if k != "tokens"})
        if who in allowed:
            if method == "GET":
                response = _call(app, client, method, path, who, world, payload)
                assert response.status_code == 200, (who, method, path, response.status_code)
                response.get_data()  # a streamed export ends (and leaves its request context) here
            continue  # what the allowed may do is tested with the use cases themselves
        with app.app_context():
            before = _state(demo)
        response = _call(app, client, method, path, who, world, payload)
        assert response.status_code in REFUSED | ILL_FORMED, (who, method, path, response.status_code)
        with app.app_context():
            assert _state(demo) == before, (who, method, path)
        if who not in SEES_DRAFT:  # a refusal never tells more than no
            assert SECRET_DRAFT not in response.get_data(as_text=True), (who, method, path)
            assert "98765" not in response.get_data(as_text=True), (who, method, path)

    # Pages that everyone may open show only what is theirs.
    if who not in SEES_DRAFT:
        for path in ("/", "/initiatieven/", "/besluiten/", "/api/v1/initiatives", "/api/v1/follow-requests",
                     "/openbaar/", "/openbaar/open-data/initiatieven.csv", "/api/v1/public/initiatives",
                     *(f"/werk/{key}" for key, allowed in WORK_LISTS.items() if who in allowed)):
            response = _call(app, client, "GET", path, who, world, None)
            assert SECRET_DRAFT not in response.get_data(as_text=True), (who, path)
    if who in {OUTSIDER_INSURER, OUTSIDER_PROVIDER}:
        listing = _call(app, client, "GET", "/api/v1/initiatives", who, world, None).get_json()
        assert listing["total"] == 0


def test_forged_organisation_fields_are_refused(app, demo, world):
    """The acting organisation comes from the logged-in user, never from the request: a body that
    names another is refused (the API's bodies know no such field) and changes nothing."""
    from tests.api.conftest import Api

    cz = Api(app.test_client(), world["tokens"].get("cz@demo.nl") or _token(app, demo, "cz@demo.nl"))
    with app.app_context():
        vgz_request = demo.session.scalar(sa.select(FollowRequest).join(Organisation, FollowRequest.insurer_id == Organisation.id)
                                          .where(Organisation.code == "VGZ"))
        vgz_before = [(d.version, d.kind, d.standing) for d in vgz_request.decisions]
        vgz_id = vgz_request.insurer_id
    decline = {"decision": "decline", "arguments": [{"criterion": "financial", "strength": 3, "explanation": "x"}]}
    forged = cz.post(f"/api/v1/initiatives/{world['open']}/decision", json={
        **decline, "insurer": "VGZ", "insurer_id": vgz_id, "organisation_id": vgz_id})
    assert forged.status_code == 422 and set(forged.get_json()["errors"]) == {"insurer", "insurer_id", "organisation_id"}
    with app.app_context():
        vgz_request = demo.session.get(FollowRequest, vgz_request.id)
        assert [(d.version, d.kind, d.standing) for d in vgz_request.decisions] == vgz_before
    response = cz.post(f"/api/v1/initiatives/{world['open']}/decision", json=decline)
    assert response.status_code == 201 and response.get_json()["insurer"] == "CZ"
    menzis = Api(app.test_client(), world["tokens"][LEAD])
    draft = {"title": "Eigen", "region": "ZK22", "kind": "innovation", "phase": "scale_up",
             "cross_institution_justification": "x", "cost_lines": [{"category": "ict", "description": "x", "amount": "1.00"}]}
    assert menzis.post("/api/v1/initiatives", json={**draft, "lead_insurer": "ACHMEA"}).status_code == 422
    created = menzis.post("/api/v1/initiatives", json=draft)
    assert created.status_code == 201 and created.get_json()["lead_insurer"] == "MENZIS"


def _token(app, demo, email):
    with app.app_context():
        return create_token(flows.user(demo, email), "t", clock.now())[1]

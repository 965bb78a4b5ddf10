"""The one place of the register's Dutch labels (issue 13, innovatieregister/labels.py)."""

from __future__ import annotations

import enum
import importlib
import pkgutil

import pytest

import innovatieregister
from innovatieregister import labels
from innovatieregister.domain.funding import PledgeState, RiskLevel, SettlementState
from innovatieregister.domain.monitoring import DocumentKind
from innovatieregister.domain.workflow import FollowRequestState, InitiativeState, MediationState
from innovatieregister.models.initiative import CostCategory

# Enums no person reads as such: an export column's kind, and the figures' filters, whose values are
# Dutch words in an address (services/dashboards.py words them for the page).
NOT_SHOWN = {"innovatieregister.exports.Kind", "innovatieregister.services.dashboards.Stall",
             "innovatieregister.services.dashboards.Facet"}


def _enums() -> list[type[enum.Enum]]:
    found = []
    for info in pkgutil.walk_packages(innovatieregister.__path__, "innovatieregister."):
        module = importlib.import_module(info.name)
        found += [thing for thing in vars(module).values() if isinstance(thing, type)
                  and issubclass(thing, enum.Enum) and thing.__module__ == info.name
                  and f"{info.name}.{thing.__name__}" not in NOT_SHOWN and list(thing)]
    return found


@pytest.mark.parametrize("enum_type", _enums(), ids=lambda e: f"{e.__module__}.{e.__name__}")
def test_every_member_of_every_enum_has_a_dutch_label(enum_type):
    for member in enum_type:
        text = labels.label(member)
        assert text and text != str(member.value), member


def test_members_of_different_enums_with_one_value_keep_their_own_label():
    # A StrEnum member equals its value, so one dict of all labels would give these one label.
    assert labels.label(InitiativeState.OPEN) == "Open voor besluiten"
    assert labels.label(FollowRequestState.OPEN) == "Wacht op besluit"
    assert labels.label(MediationState.OPEN) == "Aangevraagd"
    assert labels.label(PledgeState.PROPOSED) == "Wacht op bevestiging"
    assert labels.label(SettlementState.PROPOSED) == "Voorgesteld"
    assert labels.label(CostCategory.OTHER) == "Overig"
    assert labels.label(DocumentKind.OTHER) == "Overig document"
    assert labels.label(RiskLevel.UPSIDE).startswith("Niveau 2")


@pytest.mark.parametrize(("field", "raw", "object_type", "shown"), [
    ("annual_budget", "1055550.80", "Initiative", "€ 1.055.550,80"),
    ("weighty", True, "Decision", "ja"),
    ("pro_rata", False, "CoFundingPledge", "nee"),
    ("unit_price", None, "Initiative", "—"),
    ("status", "in_mediation", "Initiative", "In bemiddeling"),
    ("state", "open", "FollowRequest", "Wacht op besluit"),
    ("state", "proposed", "CoFundingPledge", "Wacht op bevestiging"),
    ("decision", "decline", "Decision", "Afwijzen"),
    ("kind", "adoption", "FollowRequest", "Overnameverzoek"),
    ("deadline", "2027-01-06", "FollowRequest", "6 januari 2027"),
    ("calendar", ["baseline:2027-03-07", "final:2029-12-07"], "Initiative", "Nulmeting 7 maart 2027; Eindmeting 7 december 2029"),
    ("arguments", [["insufficient_evidence", 3, 2]], "Decision", "Onvoldoende bewijs (sterkte 3, gewicht 2)"),
    ("cost_lines", [["care", "8 bedden", "1055550.80"]], "Initiative", "Zorgkosten, 8 bedden, € 1.055.550,80"),
    ("units", {"VGZ": 3}, "Settlement", "VGZ Zorgverzekeraar: 3"),
    ("follow_requests", [], "Initiative", "geen"),
    ("risk_level", 2, "Initiative", "Niveau 2: gedeelde besparingen (alleen winst)"),
])
def test_an_audited_value_reads_in_words(field, raw, object_type, shown):
    names = {"insufficient_evidence": "Onvoldoende bewijs", "VGZ": "VGZ Zorgverzekeraar"}
    assert labels.value(field, raw, object_type, names) == shown


def test_who_acted_without_being_a_person_is_the_system_in_words():
    assert labels.system_actor("command: flask demo load") == "Systeem (demo geladen)"
    assert labels.system_actor("command: flask marketshares import x.csv") == "Systeem (marktaandelen ingelezen)"
    assert labels.system_actor("register: termijnbewaking") == "Systeem (termijnbewaking)"
    assert labels.system_actor("login: iemand@example.org") == "Onbekende gebruiker"
    assert labels.field("annual_budget") == "Jaarbudget"
    assert labels.field("a_new_field") == "A new field"  # never snake_case, even for a field without a label

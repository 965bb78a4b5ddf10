"""The governed catalogue of decline criteria and the weighty threshold (admin-managed).

The default weights and threshold are design choices, not facts from policy: the policy asks for
"zwaarwegende argumenten" without saying how to weigh them (domain.arguments).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from innovatieregister import limits
from innovatieregister.extensions import db
from innovatieregister.models import ArgumentCriterion, PolicySetting
from innovatieregister.services import Invalid, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record

THRESHOLD_KEY = "weighty_threshold"
DEFAULT_THRESHOLD = 6
MAX_WEIGHT = 10
THRESHOLD_RANGE = (1, 100)
# (code, name, explanation, weight): the catalogue a new register starts with; the admin changes it.
DEFAULT_CRITERIA = [
    ("insufficient_evidence", "Onvoldoende bewijs van effect",
     "Er is (nog) onvoldoende aangetoond dat de interventie het beoogde effect heeft.", 3),
    ("adds_care", "Voegt zorg toe in plaats van te vervangen",
     "De interventie komt bovenop bestaande zorg en vervangt die niet.", 3),
    ("no_regional_fit", "Past niet bij het regioplan of de regionale behoefte",
     "De interventie sluit niet aan bij de regiobeelden en meerjarenafspraken.", 2),
    ("overcapacity", "Overcapaciteit of investeringsrisico",
     "Er is al voldoende capaciteit, of de investering is niet verantwoord.", 2),
    ("not_substantial", "Impact niet aanzienlijk of niet instellingsoverstijgend",
     "Het volgbeleid geldt alleen voor instellingsoverstijgende interventies met aanzienlijke impact.", 3),
    ("competition_law", "Mededingingsrechtelijk bezwaar",
     "Volgen zou leiden tot afstemming die de ACM niet toestaat (prijzen, marktverdeling).", 3),
    ("financial", "Financiële overwegingen",
     "Het aandeel in de kosten past niet binnen de beschikbare middelen.", 1),
]
_CODE = re.compile(rf"^[a-z][a-z0-9_]{{1,{limits.CODE - 1}}}$")


def _threshold() -> sa.ScalarSelect:
    return sa.select(PolicySetting.value).where(PolicySetting.key == THRESHOLD_KEY).scalar_subquery()


def _set_or_default(value: int | None) -> int:
    return DEFAULT_THRESHOLD if value is None else value


def weighty_threshold() -> int:
    return _set_or_default(db.session.scalar(sa.select(_threshold())))


def _criteria(active_only: bool) -> sa.Select:
    query = sa.select(ArgumentCriterion).order_by(ArgumentCriterion.weight.desc(), ArgumentCriterion.name)
    return query.where(ArgumentCriterion.active.is_(True)) if active_only else query


def deciding_criteria() -> tuple[list[ArgumentCriterion], int]:
    """list_criteria(active_only=True) and weighty_threshold(), for the decision page, in one query."""
    rows = db.session.execute(_criteria(active_only=True).add_columns(_threshold())).all()
    if not rows:  # no criterion active: the threshold on its own
        return [], weighty_threshold()
    return [row[0] for row in rows], _set_or_default(rows[0][1])


def list_criteria(active_only: bool = False) -> list[ArgumentCriterion]:
    return list(db.session.scalars(_criteria(active_only)))


def load_default_criteria(actor: Actor) -> int:
    """Add the default catalogue and threshold where missing (idempotent)."""
    added = 0
    with write_transaction():
        known = set(db.session.scalars(sa.select(ArgumentCriterion.code)))
        for code, name, explanation, weight in DEFAULT_CRITERIA:
            if code in known:
                continue
            criterion = ArgumentCriterion(code=code, name=name, explanation=explanation, weight=weight)
            db.session.add(criterion)
            db.session.flush()
            record(actor, "criterion.create", criterion, after=_state(criterion))
            added += 1
        if db.session.get(PolicySetting, THRESHOLD_KEY) is None:
            setting = PolicySetting(key=THRESHOLD_KEY, value=DEFAULT_THRESHOLD)
            db.session.add(setting)
            db.session.flush()
            record(actor, "policy.threshold", (PolicySetting.__name__, THRESHOLD_KEY),
                   after={"value": DEFAULT_THRESHOLD})
    return added


def _state(criterion: ArgumentCriterion) -> dict:
    return {"code": criterion.code, "name": criterion.name, "weight": criterion.weight,
            "active": criterion.active, "explanation": criterion.explanation}


def save_criterion(actor: Actor, code: str, name: str, explanation: str, weight: int,
                   active: bool = True, criterion_id: int | None = None) -> ArgumentCriterion:
    """Create or change a criterion. Recorded assessments keep the weight they used."""
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    name = limits.checked_text(name, limits.NAME, "name", errors, _("De naam"))
    explanation = limits.checked_text(explanation, limits.TEXT, "explanation", errors, _("De uitleg"))
    if not _CODE.match(code):
        errors["code"] = [_("Een code bestaat uit kleine letters, cijfers en _ (bijv. financial).")]
    if not name:
        errors["name"] = [_("Vul een naam in.")]
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
        errors["weight"] = [_("Het gewicht is een geheel getal van 0 tot en met %(max)s.", max=MAX_WEIGHT)]
    if errors:
        raise Invalid(_("Het criterium is niet opgeslagen."), errors)
    criterion: ArgumentCriterion | None
    with write_transaction():
        clash = db.session.scalar(sa.select(ArgumentCriterion).where(ArgumentCriterion.code == code))
        if criterion_id is None:
            if clash is not None:
                raise Invalid(_("Het criterium is niet opgeslagen."), {"code": [_("Deze code bestaat al.")]})
            criterion = ArgumentCriterion(code=code, name=name, explanation=explanation or "",
                                          weight=weight, active=active)
            db.session.add(criterion)
            db.session.flush()
            record(actor, "criterion.create", criterion, after=_state(criterion))
            return criterion
        criterion = db.session.get(ArgumentCriterion, criterion_id)
        if criterion is None:
            raise NotFound(_("Dit criterium bestaat niet."))
        if clash is not None and clash.id != criterion.id:
            raise Invalid(_("Het criterium is niet opgeslagen."), {"code": [_("Deze code bestaat al.")]})
        before = _state(criterion)
        criterion.code, criterion.name, criterion.weight = code, name, weight
        criterion.explanation, criterion.active = explanation or "", active
        db.session.flush()
        record(actor, "criterion.update", criterion, before=before, after=_state(criterion))
        return criterion


def set_threshold(actor: Actor, value: int) -> int:
    low, high = THRESHOLD_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(_("De drempel is niet opgeslagen."),
                      {"threshold": [_("De drempel is een geheel getal van %(low)s tot en met %(high)s.", low=low,
                                       high=high)]})
    with write_transaction():
        setting = db.session.get(PolicySetting, THRESHOLD_KEY)
        before = setting.value if setting else DEFAULT_THRESHOLD
        if setting is None:
            setting = PolicySetting(key=THRESHOLD_KEY, value=value)
            db.session.add(setting)
        setting.value = value
        db.session.flush()
        record(actor, "policy.threshold", (PolicySetting.__name__, THRESHOLD_KEY),
               before={"value": before}, after={"value": value})
    return value

"""The vocabulary of monitoring and evaluation (issue 10; source: 003_80f9d5aad3919ca4.txt ~205–285).

A process monitor (how the co-operation goes) and an outcome monitor (effects on the goals),
with a baseline measurement, periodic (yearly) measurements and a final measurement; a term of
three years after a start-up year, extended only when the intended results are in sight.
"""

from __future__ import annotations

from enum import StrEnum

from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_


class MeasurementKind(StrEnum):
    """Which moment of the evaluation calendar a measurement or evaluation belongs to."""

    BASELINE = "baseline"  # nulmeting
    PERIODIC = "periodic"  # periodieke (jaarlijkse) meting
    FINAL = "final"  # eindmeting / eindevaluatie


class OutcomeCategory(StrEnum):
    """The outcome monitor's categories: what a SMART goal is about."""

    QUALITY = "quality"  # quality of care for the individual, incl. client satisfaction
    POPULATION_HEALTH = "population_health"
    COSTS = "costs"  # first line, second line, follow-on costs
    CAPACITY = "capacity"  # capacity and substitution: bed-days moved, wrong-bed days avoided


class Verdict(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"


# "Results in sight": the verdicts that allow an extension and a move to scale-up.
POSITIVE_VERDICTS = frozenset({Verdict.ON_TRACK, Verdict.ACHIEVED})


class ProcessEntryKind(StrEnum):
    """The process monitor's subjects."""

    AGREEMENT = "agreement"
    FUNDING_FORM = "funding_form"
    INTERVENTION = "intervention"
    OBSTACLE = "obstacle"
    SOLUTION = "solution"


class EndOutcome(StrEnum):
    """What happened to the care when an initiative ended."""

    CARE_RETURNS = "care_returns"  # the care goes back to where it was
    SCALE_DOWN_EXECUTED = "scale_down_executed"  # the replaced care was scaled down as planned
    CONTINUES_AS_REGULAR = "continues_as_regular"  # goals achieved: the care continues in regular contracts


class DocumentKind(StrEnum):
    EVALUATION_REPORT = "evaluation_report"
    EVIDENCE = "evidence"
    OTHER = "other"


LABELS = Labels({
    MeasurementKind.BASELINE: N_("Nulmeting"),
    MeasurementKind.PERIODIC: N_("Periodieke meting"),
    MeasurementKind.FINAL: N_("Eindmeting"),
    OutcomeCategory.QUALITY: N_("Kwaliteit voor het individu"),
    OutcomeCategory.POPULATION_HEALTH: N_("Gezondheid van de populatie"),
    OutcomeCategory.COSTS: N_("Kosten"),
    OutcomeCategory.CAPACITY: N_("Capaciteit en substitutie"),
    Verdict.ON_TRACK: N_("Op koers"),
    Verdict.BEHIND: N_("Achter op schema"),
    Verdict.ACHIEVED: N_("Doelen behaald"),
    Verdict.NOT_ACHIEVED: N_("Doelen niet behaald"),
    ProcessEntryKind.AGREEMENT: N_("Afspraak"),
    ProcessEntryKind.FUNDING_FORM: N_("Gekozen bekostigingsvorm"),
    ProcessEntryKind.INTERVENTION: N_("Interventie"),
    ProcessEntryKind.OBSTACLE: N_("Belemmering"),
    ProcessEntryKind.SOLUTION: N_("Oplossing"),
    EndOutcome.CARE_RETURNS: N_("De zorg keert terug naar de oude plek"),
    EndOutcome.SCALE_DOWN_EXECUTED: N_("Het afschalingsplan is uitgevoerd"),
    EndOutcome.CONTINUES_AS_REGULAR: N_("De zorg gaat door in de reguliere contractering"),
    DocumentKind.EVALUATION_REPORT: N_("Evaluatierapport"),
    DocumentKind.EVIDENCE: N_("Onderbouwing / bewijs"),
    DocumentKind.OTHER: N_("Overig document"),
})

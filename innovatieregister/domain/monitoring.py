"""The vocabulary of monitoring and evaluation (issue 10; source: 003_80f9d5aad3919ca4.txt ~205–285).

A process monitor (how the co-operation goes) and an outcome monitor (effects on the goals),
with a baseline measurement, periodic (yearly) measurements and a final measurement; a term of
three years after a start-up year, extended only when the intended results are in sight.
"""

from __future__ import annotations

from enum import StrEnum


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


LABELS: dict[StrEnum, str] = {
    MeasurementKind.BASELINE: "Nulmeting",
    MeasurementKind.PERIODIC: "Periodieke meting",
    MeasurementKind.FINAL: "Eindmeting",
    OutcomeCategory.QUALITY: "Kwaliteit voor het individu",
    OutcomeCategory.POPULATION_HEALTH: "Gezondheid van de populatie",
    OutcomeCategory.COSTS: "Kosten",
    OutcomeCategory.CAPACITY: "Capaciteit en substitutie",
    Verdict.ON_TRACK: "Op koers",
    Verdict.BEHIND: "Achter op schema",
    Verdict.ACHIEVED: "Doelen behaald",
    Verdict.NOT_ACHIEVED: "Doelen niet behaald",
    ProcessEntryKind.AGREEMENT: "Afspraak",
    ProcessEntryKind.FUNDING_FORM: "Gekozen bekostigingsvorm",
    ProcessEntryKind.INTERVENTION: "Interventie",
    ProcessEntryKind.OBSTACLE: "Belemmering",
    ProcessEntryKind.SOLUTION: "Oplossing",
    EndOutcome.CARE_RETURNS: "De zorg keert terug naar de oude plek",
    EndOutcome.SCALE_DOWN_EXECUTED: "Het afschalingsplan is uitgevoerd",
    EndOutcome.CONTINUES_AS_REGULAR: "De zorg gaat door in de reguliere contractering",
    DocumentKind.EVALUATION_REPORT: "Evaluatierapport",
    DocumentKind.EVIDENCE: "Onderbouwing / bewijs",
    DocumentKind.OTHER: "Overig document",
}

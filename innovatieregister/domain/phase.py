"""Start-up and scale-up: when the duty to follow applies, and when an innovation may spread.

Source: 000_1dd34af60fcbcbd1.txt, "Met betrekking tot innovatie" (lines ~1172–1186): "Concurrentie
is daarbij nodig om veelbelovende initiatieven te ontwikkelen en uit te proberen. Wanneer
experimenten vervolgens succesvol zijn en passen bij de meerjarige afspraken in de regio is het
van belang dat zorgverzekeraars deze van elkaar overnemen [...]. Het maatschappelijk belang vraagt
om een combinatie van onderscheidend vermogen op innovatie in de opstartfase en afstemming in de
opschalingsfase." And on the insurer axis: an insurer adopts "een succesvolle innovatie" of another.

So an innovation in the start-up phase competes: it is registered and monitored, but nobody is
asked to follow it. Once an evaluation shows it succeeds, the lead moves it to scale-up, and the
follow and adoption machinery applies. JZOJP interventions are followed in any phase (the policy's
first part), as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from innovatieregister.domain.monitoring import LABELS as MONITORING_LABELS
from innovatieregister.domain.monitoring import POSITIVE_VERDICTS, MeasurementKind, Verdict
from innovatieregister.domain.text import N_, say
from innovatieregister.domain.workflow import OR, RUNNING_STATES, InitiativeState


class InitiativeKind(StrEnum):
    JZOJP_INTERVENTION = "jzojp_intervention"
    INNOVATION = "innovation"


class Phase(StrEnum):
    START_UP = "start_up"
    SCALE_UP = "scale_up"  # the duty to follow applies in scale-up


# Running after activation (workflow.RUNNING_STATES): where evaluations are recorded, so where a move
# to scale-up can rest on one.

POLICY_REASON = N_("het volgbeleid vraagt onderscheidend vermogen op innovatie in de opstartfase en "
                    "afstemming in de opschalingsfase")


def carries_duty_to_follow(kind: InitiativeKind, phase: Phase) -> bool:
    """Other insurers are asked to follow JZOJP interventions, and innovations in scale-up."""
    return kind == InitiativeKind.JZOJP_INTERVENTION or phase == Phase.SCALE_UP


def opening_refusal(kind: InitiativeKind, phase: Phase) -> str | None:
    """Why this initiative cannot be opened for decisions, or None when it can (as far as its phase goes)."""
    if carries_duty_to_follow(kind, phase):
        return None
    return say(N_("Een innovatie in de opstartfase kent geen volgplicht: %(reason)s. Daarom gaan er geen "
                  "volgverzoeken uit. De leidende verzekeraar kan haar activeren en (met partners naar keuze) "
                  "zelf financieren; zodra een evaluatie zegt dat ze op koers is of haar doelen heeft behaald, "
                  "brengt de leidende verzekeraar haar naar de opschalingsfase, en dan gaan de volgverzoeken "
                  "uit.")) % {"reason": say(POLICY_REASON)}


def activates_without_follow_requests(kind: InitiativeKind, phase: Phase) -> bool:
    """A start-up innovation is activated straight from its draft: it has no follow requests to wait
    for (the lead funds it, alone or with partners outside the follow machinery). Everything else is
    activated only once the decisions on it are in (fully or partially funded)."""
    return not carries_duty_to_follow(kind, phase)


# The evaluations success is read from: a baseline evaluation only says whether the start is on track
# (domain.lifecycle.BASELINE_VERDICTS), it measures no result yet.
RESULT_KINDS = frozenset({MeasurementKind.PERIODIC, MeasurementKind.FINAL})


def is_evaluated_successfully(latest_verdict: Verdict | None) -> bool:
    """Successful: the most recently recorded periodic or final evaluation (RESULT_KINDS) says on
    track or goals achieved."""
    return latest_verdict in POSITIVE_VERDICTS


def scale_up_refusal(kind: InitiativeKind, phase: Phase, status: InitiativeState,
                     latest_verdict: Verdict | None) -> str | None:
    """Why this initiative cannot move to scale-up now, or None when it can.

    The move rests on success: the latest recorded evaluation must have a positive verdict
    (POSITIVE_VERDICTS), so the initiative must be running (active, evaluated or extended)."""
    if kind != InitiativeKind.INNOVATION:
        return say(N_("Alleen een innovatie gaat van de opstart- naar de opschalingsfase; een JZOJP-interventie "
                      "wordt in elke fase gevolgd."))
    if phase == Phase.SCALE_UP:
        return say(N_("Deze innovatie is al in de opschalingsfase."))
    if status not in RUNNING_STATES:
        return say(N_("Naar de opschalingsfase gaat een innovatie die loopt en positief is geëvalueerd. De "
                      "leidende verzekeraar activeert haar eerst; daarna leggen de leidende verzekeraar en de "
                      "betrokken zorgaanbieders evaluaties vast."))
    if not is_evaluated_successfully(latest_verdict):
        return say(N_("Naar de opschalingsfase kan pas na een evaluatie met het oordeel %(verdicts)s; %(so_far)s. "
                      "De leidende verzekeraar en de betrokken zorgaanbieders leggen evaluaties vast.")) % {
            "verdicts": _positive_labels(), "so_far": evaluation_so_far(latest_verdict)}
    return None


def evaluation_so_far(latest_verdict: Verdict | None) -> str:
    """What the evaluations say so far, in a clause of a sentence."""
    if latest_verdict is None:
        return say(N_("er is nog geen periodieke of eindevaluatie vastgelegd"))
    return say(N_("de laatste evaluatie zegt '%(verdict)s'")) % {"verdict": MONITORING_LABELS[latest_verdict]}


def adoption_needs_confirmation(kind: InitiativeKind, latest_verdict: Verdict | None) -> bool:
    """Adopting an innovation that has no positive evaluation is a conscious choice: the policy
    spreads successful innovations, so the adopting insurer confirms it explicitly."""
    return kind == InitiativeKind.INNOVATION and not is_evaluated_successfully(latest_verdict)


def _positive_labels(verdicts: Iterable[Verdict] = POSITIVE_VERDICTS) -> str:
    return (" " + say(OR) + " ").join(f"'{MONITORING_LABELS[v]}'" for v in sorted(verdicts))

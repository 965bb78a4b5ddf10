"""The tables finance staff file (issue 11): an initiative's fair-share statement (verdeelstaat)
and its decisions with their arguments, as far as the reader may see them. Web and API hand these
to exports.export_response; rows are produced lazily, so a long table streams."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from innovatieregister import labels
from innovatieregister.domain.allocation import InsurerState, percentage
from innovatieregister.domain.funding import PledgeState
from innovatieregister.exports import Column, Kind
from innovatieregister.models import ConditionsVerdict
from innovatieregister.services.initiatives import InitiativeView

FAIR_SHARE_COLUMNS = (
    Column("Soort"), Column("Partij"), Column("Code"), Column("Verzekerden", Kind.INTEGER),
    Column("Marktaandeel (%)", Kind.DECIMAL), Column("Bedrag per jaar", Kind.EURO), Column("Stand"),
)


def fair_share_rows(view: InitiativeView) -> Iterator[Sequence[object]]:
    """Co-funders, every insurer of the key (insured, share, amount, state as the reader may see
    it), then the totals over the whole budget. Nothing when there is no key yet."""
    f = view.funding
    if f is None:
        return
    market = view.market
    for name, amount in f.co_funders:
        yield ("Medefinancier", name, "", None, None, amount, labels.label(PledgeState.CONFIRMED))
    names = {s.insurer.id: s.insurer for s in market.shares}
    for share in f.shares:
        insurer = names[share.insurer]
        lead = f" ({labels.LEAD})" if view.leads(share.insurer) else ""
        yield ("Zorgverzekeraar", insurer.name + lead, insurer.code, share.insured,
               percentage(share.insured, market.total), share.amount,
               view.stand(share.insurer))
    for label, amount in (("Jaarbudget", f.total), ("Medefinanciering", f.co_funding),
                          ("Deel van de verzekeraars", f.insurers_total), ("Toegezegd", f.committed),
                          ("Financieringstekort", f.gap)):
        yield ("Totaal", label, "", None, None, amount, "")
    coverage = f.coverage
    yield ("Totaal", "Dekking (%)", "", None, percentage(coverage.numerator, coverage.denominator), None, "")


DECISION_COLUMNS = (
    Column("Verzekeraar"), Column("Code"), Column("Verzoek"), Column("Termijn", Kind.DATE), Column("Stand"),
    Column("Versie", Kind.INTEGER), Column("Geldt"), Column("Besluit"), Column("Voorwaarden"),
    Column("Score", Kind.INTEGER), Column("Drempel", Kind.INTEGER), Column("Zwaarwegend onderbouwd"),
    Column("Besloten op", Kind.DATE), Column("Criterium"), Column("Gewicht", Kind.INTEGER),
    Column("Sterkte", Kind.INTEGER), Column("Toelichting"), Column("Onderbouwing"),
    Column("Oordeel van de leidende verzekeraar over de voorwaarden"),
)


def _verdict(decision) -> str:
    """The lead's verdict on a follow's conditions, with its reasons ('' when none)."""
    if decision.conditions_verdict is None:
        return "nog niet beoordeeld" if decision.conditions_to_judge else ""
    said = "aanvaard" if decision.conditions_verdict == ConditionsVerdict.ACCEPTED else "afgewezen"
    return f"{said}: {decision.conditions_reasons}"


def decision_rows(view: InitiativeView) -> Iterator[Sequence[object]]:
    """Every version of every decision the reader may see (visibility.sees_decisions), one row per
    argument; a request whose decisions are hidden from the reader shows only that it exists."""
    for r in view.requests:
        request = r.request
        kind = "overname" if request.kind.value == "adoption" else "volgen"
        head = (request.insurer.name, request.insurer.code, kind)
        if not r.visible:
            yield (*head, None, labels.HIDDEN, *([None] * 14))
            continue
        if not r.history:
            yield (*head, request.deadline, labels.label(InsurerState.UNDECIDED), *([None] * 14))
            continue
        for d in r.history:
            decided = (*head, request.deadline, r.stand, d.version, d.standing,
                       labels.stand(d.insurer_state, d.conditions), d.conditions, d.score, d.threshold,
                       None if d.weighty is None else d.weighty, d.decided_at)
            if not d.arguments:
                yield (*decided, None, None, None, None, None, _verdict(d))
            for a in d.arguments:
                yield (*decided, a.criterion_name, a.weight, a.strength, a.explanation, a.evidence_url or "",
                       _verdict(d))

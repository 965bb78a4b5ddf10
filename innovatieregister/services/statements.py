"""The tables finance staff file (issue 11): an initiative's fair-share statement (verdeelstaat)
and its decisions with their arguments, as far as the reader may see them. Web and API hand these
to exports.export_response; rows are produced lazily, so a long table streams."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from innovatieregister import labels
from innovatieregister.domain.allocation import InsurerState, percentage
from innovatieregister.domain.funding import PledgeState
from innovatieregister.exports import Column, Kind
from innovatieregister.models import ConditionsVerdict
from innovatieregister.services.initiatives import InitiativeView

FAIR_SHARE_COLUMNS = (
    Column(_l("Soort")), Column(_l("Partij")), Column(_l("Code")), Column(_l("Verzekerden"), Kind.INTEGER),
    Column(_l("Marktaandeel (%)"), Kind.DECIMAL), Column(_l("Bedrag per jaar"), Kind.EURO), Column(_l("Stand")),
)


def fair_share_rows(view: InitiativeView) -> Iterator[Sequence[object]]:
    """Co-funders, every insurer of the key (insured, share, amount, state as the reader may see
    it), then the totals over the whole budget. Nothing when there is no key yet."""
    f, market = view.funding, view.market
    if f is None or market is None:  # funding comes with its key
        return
    for name, amount in f.co_funders:
        yield (_("Medefinancier"), name, "", None, None, amount, labels.label(PledgeState.CONFIRMED))
    names = {s.insurer.id: s.insurer for s in market.shares}
    for share in f.shares:
        insurer = names[share.insurer]
        lead = f" ({labels.LEAD})" if view.leads(share.insurer) else ""
        yield (_("Zorgverzekeraar"), insurer.name + lead, insurer.code, share.insured,
               percentage(share.insured, market.total), share.amount,
               view.stand(share.insurer))
    for label, amount in ((_("Jaarbudget"), f.total), (_("Medefinanciering"), f.co_funding),
                          (_("Deel van de verzekeraars"), f.insurers_total), (_("Toegezegd"), f.committed),
                          (_("Financieringstekort"), f.gap)):
        yield (_("Totaal"), label, "", None, None, amount, "")
    coverage = f.coverage
    yield (_("Totaal"), _("Dekking (%)"), "", None, percentage(coverage.numerator, coverage.denominator), None, "")


DECISION_COLUMNS = (
    Column(_l("Verzekeraar")), Column(_l("Code")), Column(_l("Verzoek")), Column(_l("Termijn"), Kind.DATE),
    Column(_l("Stand")),
    Column(_l("Versie"), Kind.INTEGER), Column(_l("Geldt")), Column(_l("Besluit")), Column(_l("Voorwaarden")),
    Column(_l("Score"), Kind.INTEGER), Column(_l("Drempel"), Kind.INTEGER), Column(_l("Zwaarwegend onderbouwd")),
    Column(_l("Besloten op"), Kind.DATE), Column(_l("Criterium")), Column(_l("Gewicht"), Kind.INTEGER),
    Column(_l("Sterkte"), Kind.INTEGER), Column(_l("Toelichting")), Column(_l("Onderbouwing")),
    Column(_l("Oordeel van de leidende verzekeraar over de voorwaarden")),
)


def _verdict(decision) -> str:
    """The lead's verdict on a follow's conditions, with its reasons ('' when none)."""
    if decision.conditions_verdict is None:
        return _("nog niet beoordeeld") if decision.conditions_to_judge else ""
    said = _("aanvaard") if decision.conditions_verdict == ConditionsVerdict.ACCEPTED else _("afgewezen")
    return f"{said}: {decision.conditions_reasons}"


def decision_rows(view: InitiativeView) -> Iterator[Sequence[object]]:
    """Every version of every decision the reader may see (visibility.sees_decisions), one row per
    argument; a request whose decisions are hidden from the reader shows only that it exists."""
    for r in view.requests:
        request = r.request
        kind = _("overname") if request.kind.value == "adoption" else _("volgen")
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

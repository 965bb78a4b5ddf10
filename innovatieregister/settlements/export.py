"""A settlement as a table for finance staff (exports.py writes it as CSV or XLSX): one row per
insurer of the key, then the co-funders, then the totals. Shared by the web and the API."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from innovatieregister import labels
from innovatieregister.exports import Column, Kind


def columns() -> tuple[Column, ...]:
    """The table's columns, headed in the reader's language."""
    return (
        Column(_("Jaar"), Kind.INTEGER), Column(_("Versie"), Kind.INTEGER), Column(_("Stand")), Column(_("Partij")),
        Column(_("Code")), Column(_("Soort")), Column(_("Verzekerden in de sleutel"), Kind.INTEGER),
        Column(_("Eenheden gebruik"), Kind.INTEGER), Column(_("Financiert")), Column(_("Toegerekend"), Kind.EURO),
        Column(_("Voorschot"), Kind.EURO), Column(_("Saldo (+ betaalt bij, − krijgt terug)"), Kind.EURO),
        Column(_("Ongedekt"), Kind.EURO), Column(_("Toezegging medefinanciering"), Kind.EURO),
    )


def settlement_table(settlement) -> tuple[tuple[Column, ...], list[list[object]], str]:
    """(columns, rows, file name) of one settlement. The rows are read at once, while the request's
    session is open: one per insurer of the key and co-funder, a few dozen at most."""
    state = labels.label(settlement.state)

    def rows() -> Iterator[list[object]]:
        head = [settlement.year, settlement.version, state]
        for line in settlement.lines:
            yield [*head, line.insurer.name, line.insurer.code, _("zorgverzekeraar"), line.insured, line.units,
                   line.funds, line.allocated, line.advance if line.funds else None,
                   line.balance if line.funds else None, None if line.funds else line.allocated, None]
        for co in settlement.co_funding_lines:
            yield [*head, co.organisation.name, co.organisation.code, _("medefinancier"), None, None, True,
                   co.counted, None, None, None, co.pledged]
        for total, amount, uncovered in ((_("Totaal werkelijke kosten"), settlement.actual_cost, None),
                                         (_("Totaal medefinanciering"), settlement.co_funding, None),
                                         (_("Totaal zorgverzekeraars"), settlement.allocated, settlement.uncovered)):
            yield [*head, total, "", _("totaal"), None, None, None, amount, None, None, uncovered, None]

    return columns(), list(rows()), f"nacalculatie-{settlement.initiative_id}-{settlement.year}-v{settlement.version}"

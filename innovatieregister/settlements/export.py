"""A settlement as a table for finance staff (exports.py writes it as CSV or XLSX): one row per
insurer of the key, then the co-funders, then the totals. Shared by the web and the API."""

from __future__ import annotations

from collections.abc import Iterator

from innovatieregister import labels
from innovatieregister.exports import Column, Kind

COLUMNS = (
    Column("Jaar", Kind.INTEGER), Column("Versie", Kind.INTEGER), Column("Stand"), Column("Partij"),
    Column("Code"), Column("Soort"), Column("Verzekerden in de sleutel", Kind.INTEGER),
    Column("Eenheden gebruik", Kind.INTEGER), Column("Financiert"), Column("Toegerekend", Kind.EURO),
    Column("Voorschot", Kind.EURO), Column("Saldo (+ betaalt bij, − krijgt terug)", Kind.EURO),
    Column("Ongedekt", Kind.EURO), Column("Toezegging medefinanciering", Kind.EURO),
)


def settlement_table(settlement) -> tuple[tuple[Column, ...], list[list[object]], str]:
    """(columns, rows, file name) of one settlement. The rows are read at once, while the request's
    session is open: one per insurer of the key and co-funder, a few dozen at most."""
    state = labels.label(settlement.state)

    def rows() -> Iterator[list[object]]:
        head = [settlement.year, settlement.version, state]
        for line in settlement.lines:
            yield [*head, line.insurer.name, line.insurer.code, "zorgverzekeraar", line.insured, line.units,
                   line.funds, line.allocated, line.advance if line.funds else None,
                   line.balance if line.funds else None, None if line.funds else line.allocated, None]
        for co in settlement.co_funding_lines:
            yield [*head, co.organisation.name, co.organisation.code, "medefinancier", None, None, True,
                   co.counted, None, None, None, co.pledged]
        for label, amount, uncovered in (("Totaal werkelijke kosten", settlement.actual_cost, None),
                                         ("Totaal medefinanciering", settlement.co_funding, None),
                                         ("Totaal zorgverzekeraars", settlement.allocated, settlement.uncovered)):
            yield [*head, label, "", "totaal", None, None, None, amount, None, None, uncovered, None]

    return COLUMNS, list(rows()), f"nacalculatie-{settlement.initiative_id}-{settlement.year}-v{settlement.version}"

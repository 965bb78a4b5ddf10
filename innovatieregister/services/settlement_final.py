"""What follows when a settlement becomes final. A placeholder for the merge: part 3 of issue 11
(shared savings) computes the year's savings in `services.savings.on_settlement_final`, which
replaces this no-op (services.settlements calls it in the transaction that makes a settlement final)."""

from __future__ import annotations


def on_settlement_final(settlement, actor) -> None:
    """Called in the same transaction as the settlement becoming final; nothing to do here yet."""

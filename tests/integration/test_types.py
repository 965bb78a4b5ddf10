"""Money is exact Decimal and time is aware UTC, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister.models import CostCategory, CostLine, Initiative, User


def _initiative(session) -> Initiative:
    return session.scalar(sa.select(Initiative))


@pytest.mark.parametrize("amount", ["0.01", "0.10", "1055550.80", "999999999999.99", "0.00"])
def test_money_round_trips_exactly(demo, ctx, amount):
    initiative = _initiative(ctx.session)
    line = CostLine(initiative=initiative, category=CostCategory.OTHER, description="x",
                    amount=Decimal(amount))
    ctx.session.add(line)
    ctx.session.commit()
    ctx.session.expire_all()
    stored = ctx.session.get(CostLine, line.id).amount
    assert isinstance(stored, Decimal)
    assert stored == Decimal(amount) and str(stored) == amount


def test_sql_sums_of_money_are_exact(demo, ctx):
    initiative = _initiative(ctx.session)
    for _ in range(10):
        ctx.session.add(CostLine(initiative=initiative, category=CostCategory.OTHER,
                                 description="dime", amount=Decimal("0.10")))
    ctx.session.commit()
    total = ctx.session.scalar(
        sa.select(sa.func.sum(CostLine.amount)).where(CostLine.description == "dime")
    )
    # 0.1 added ten times in binary floating point is 0.9999999999999999; SUM keeps the type.
    assert isinstance(total, Decimal) and total == Decimal("1.00")


@pytest.mark.parametrize("bad", [0.1, Decimal("0.001")])
def test_money_refuses_float_and_sub_cent_amounts(demo, ctx, bad):
    initiative = _initiative(ctx.session)
    ctx.session.add(CostLine(initiative=initiative, category=CostCategory.OTHER,
                             description="x", amount=bad))
    with pytest.raises(sa.exc.StatementError):
        ctx.session.flush()
    ctx.session.rollback()


def test_timestamps_come_back_aware_in_utc(demo, ctx):
    user = ctx.session.scalar(sa.select(User))
    amsterdam_noon = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    user.last_login_at = amsterdam_noon
    ctx.session.commit()
    ctx.session.expire_all()
    stored = ctx.session.get(User, user.id).last_login_at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def test_naive_timestamps_are_refused(demo, ctx):
    user = ctx.session.scalar(sa.select(User))
    user.last_login_at = datetime(2026, 7, 1, 12, 0)  # noqa: DTZ001
    with pytest.raises(sa.exc.StatementError):
        ctx.session.flush()
    ctx.session.rollback()


def test_the_frozen_clock_reaches_column_defaults(ctx, frozen_clock):
    """Rows stamped with `utcnow` (the column default) carry the suite's clock, not the machine's."""
    from innovatieregister.services.audit import Actor, record

    frozen_clock.advance(timedelta(days=400))
    entry = record(Actor.command("test"), "test.clock", ("Clock", 1), None, {})
    ctx.session.commit()
    assert ctx.session.get(type(entry), entry.id).occurred_at == frozen_clock.now()

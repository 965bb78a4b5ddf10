"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from innovatieregister import clock

# Named constraints, so Alembic can address them (SQLite batch migrations need names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    # Every model maps one table (no mapped selects): DeclarativeBase says only FromClause.
    __table__: ClassVar[sa.Table]


def utcnow() -> datetime:
    """Column default: the current time, timezone-aware UTC (called per row, never at import).

    It asks `clock.now()` on every call, so a frozen clock in the tests reaches the defaults too."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone, so naive values read back are UTC by construction.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


CENT = Decimal("0.01")


class _ExactDecimal(TypeDecorator):
    """A `Decimal` with a fixed number of decimals, exact in the database.

    PostgreSQL stores NUMERIC(PRECISION, PLACES). SQLite has no exact decimal (NUMERIC becomes
    a float), so there the column holds an integer count of the smallest unit; SQL sums stay
    exact on both.
    """

    impl = sa.Numeric(14, 2)
    cache_ok = True
    PRECISION = 14
    PLACES = 2
    WHAT = "an amount"

    @classmethod
    def _unit(cls) -> Decimal:
        return Decimal(1).scaleb(-cls.PLACES)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(self.PRECISION, self.PLACES, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal | int):
            raise TypeError(f"{self.WHAT} must be Decimal, not {type(value).__name__}")
        amount = Decimal(value)
        if amount != amount.quantize(self._unit()):
            raise ValueError(f"{amount} has more than {self.PLACES} decimals")
        if dialect.name == "sqlite":
            return int(amount.scaleb(self.PLACES))
        return amount.quantize(self._unit())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.PLACES).quantize(self._unit())
        return Decimal(value).quantize(self._unit())


class Money(_ExactDecimal):
    """An amount in euros: NUMERIC(14, 2) on PostgreSQL, integer cents on SQLite."""

    impl = sa.Numeric(14, 2)
    cache_ok = True
    WHAT = "money"


class Quantity(_ExactDecimal):
    """A measured value (a rate, a count, bed-days): four decimals, exact on both databases."""

    impl = sa.Numeric(18, 4)
    cache_ok = True
    PRECISION = 18
    PLACES = 4
    WHAT = "a measured value"

"""Migration 0011_lifecycle: goals registered before goals had numbers get a baseline and target
value where their text is a plain number (and a unit where one follows it); other texts stay text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_migrate import upgrade

from innovatieregister.models.base import Quantity


def _insert(conn, table: str, **given) -> None:
    """A row with the given values, every other required column filled with a plain value."""
    columns = sa.Table(table, sa.MetaData(), autoload_with=conn).columns
    filler = {sa.String: "x", sa.Integer: 1, sa.Boolean: False, sa.Date: date(2026, 1, 1),
              sa.DateTime: datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None), sa.Numeric: 0}
    row = dict(given)
    for column in columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        row[column.name] = next(value for kind, value in filler.items() if isinstance(column.type, kind))
    conn.execute(sa.table(table, *(sa.column(name) for name in row)).insert().values(**row))


def test_plain_number_goal_texts_become_values(empty_database_url):
    from config import TestConfig
    from innovatieregister import create_app
    from innovatieregister.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    texts = {1: ("2.900", "1.500"), 2: ("1,5 %", "0,75 %"), 3: ("daling", "minder dan nu"), 4: ("12", "meer")}
    with app.app_context():
        upgrade(revision="0010_input_limits")  # the revision before 0011_lifecycle
        with db.engine.begin() as conn:
            _insert(conn, "organisations", id=1, kind="insurer", code="X", name="X")
            _insert(conn, "regions", id=1, code="ZK01", name="Regio")
            _insert(conn, "initiatives", id=1, region_id=1, lead_insurer_id=1, kind="innovation", phase="start_up",
                    status="concept", evidence_level="none")
            for goal_id, (baseline, target) in texts.items():
                _insert(conn, "smart_goals", id=goal_id, initiative_id=1, metric="m", baseline=baseline,
                        target=target, target_date=date(2028, 12, 31))
        upgrade()
        goals = sa.table("smart_goals", sa.column("id"), sa.column("unit"), sa.column("baseline_value", Quantity()),
                         sa.column("target_value", Quantity()), sa.column("baseline"))
        with db.engine.connect() as conn:
            after = {row.id: (row.baseline_value, row.target_value, row.unit, row.baseline)
                     for row in conn.execute(sa.select(goals))}
        db.engine.dispose()
    assert after == {
        1: (Decimal("2900"), Decimal("1500"), "", "2.900"),  # Dutch thousands: the demo's bed-days
        2: (Decimal("1.5"), Decimal("0.75"), "%", "1,5 %"),
        3: (None, None, "", "daling"),  # words stay words
        4: (Decimal("12"), None, "", "12"),  # one number is kept, the other stays text
    }

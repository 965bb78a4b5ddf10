"""visibility.py's EXISTS read slim aliases of their tables (only the columns they ask, issue 15):
the same SQL as the ORM aliases they replace, for every clause and every user, and the same rows."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from innovatieregister import clock, visibility
from innovatieregister.models import (
    CoFundingPledge,
    Document,
    FollowRequest,
    Initiative,
    InitiativeProvider,
    MediationCase,
    Organisation,
    ProcessLogEntry,
    User,
)
from innovatieregister.models.funding import Settlement
from tests.web.test_visibility_rule import everything, world  # noqa: F401 (the rule's fixtures)


class _OrmAlias:
    """What the clauses read before: an ORM alias of the whole model, made afresh each time."""

    def __init__(self, model):
        self.model = model

    def alias(self):
        return SimpleNamespace(c=aliased(self.model))


SLIM = {"_PROVIDER_LINKS": InitiativeProvider, "_LEADS": Initiative, "_REQUESTS": FollowRequest,
        "_PLEDGES": CoFundingPledge, "_ORGANISATION_KINDS": Organisation}


def _clauses(user: User, today) -> dict[str, sa.Select]:
    return {
        "party": sa.select(Initiative.id).where(visibility.party_clause(user)),
        "initiative": sa.select(Initiative.id).where(visibility.initiative_clause(user)),
        "document": sa.select(Document.id).where(visibility.document_clause(user)),
        "decisions": sa.select(FollowRequest.id).where(visibility.decisions_clause(user, today)),
        "process": sa.select(ProcessLogEntry.id).where(visibility.process_entry_clause(user, today)),
        "case": sa.select(MediationCase.id).where(visibility.case_clause(user)),
        "mediation": sa.select(Initiative.id).where(visibility.mediation_clause(user, today)),
        "status": sa.select(Initiative.id, visibility.status_column(user, today)),
        "settlement": sa.select(Settlement.id).where(visibility.settlement_clause(user)),
    }


def _sql(db, query: sa.Select) -> str:
    return str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))


def test_the_slim_aliases_read_what_the_orm_aliases_read(app, demo, everything, monkeypatch):  # noqa: F811
    with app.app_context():
        users = list(demo.session.scalars(sa.select(User).order_by(User.id)))
        today = clock.today()
        slim = {user.id: {name: (_sql(demo, q), sorted(map(tuple, demo.session.execute(q))))
                          for name, q in _clauses(user, today).items()} for user in users}
        for name, model in SLIM.items():
            monkeypatch.setattr(visibility, name, _OrmAlias(model))
        orm = {user.id: {name: (_sql(demo, q), sorted(map(tuple, demo.session.execute(q))))
                         for name, q in _clauses(user, today).items()} for user in users}
    assert slim == orm
    assert len(users) > 10 and any(rows for clauses in slim.values() for _, rows in clauses.values())


def test_a_clause_aliases_only_the_columns_it_reads(app, demo, everything):  # noqa: F811
    """Building a clause is on every request: an alias of a whole wide table (initiatives has
    more than 50 columns) costs a proxy per column, each time."""
    from sqlalchemy.sql import visitors

    with app.app_context():
        today = clock.today()
        widths = {}
        for user in demo.session.scalars(sa.select(User)):
            for name, query in _clauses(user, today).items():
                for element in visitors.iterate(query):
                    if isinstance(element, sa.Alias):
                        widths[(user.email, name)] = max(widths.get((user.email, name), 0), len(element.c))
    assert widths and max(widths.values()) <= 6, widths

"""The request lists (issue 15): their cheaper reads give the same rows in the same order as
the plain ones, and read through the indexes meant for them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister.models import FollowRequest, User
from innovatieregister.paging import capped_count, decode, paginate
from innovatieregister.services import adoption, decisions
from tests import flows
from tests.conftest import statements_sent


@pytest.fixture
def asked(app, demo):
    """The observation beds open (Menzis leads), three adoption requests of the hospital on it."""
    flows.open_observation_beds(app, demo)
    for insurer in ("VGZ", "ASR", "CZ"):
        flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", insurer)
    return demo


def _users(db) -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.id)))


def _ids(db, query: sa.Select) -> list[int]:
    return sorted(db.session.scalars(query.with_only_columns(FollowRequest.id, maintain_column_froms=True)
                                      .order_by(None)))


def test_the_adoption_count_counts_the_rows_of_the_list_for_every_user(app, asked):
    with app.app_context():
        seen = 0
        for user in _users(asked):
            query = adoption.adoption_requests_query(user)
            count = adoption.adoption_requests_to_count(user)
            if query is None:
                assert count is None, user.email
                continue
            if count is None:  # admins and the mediator: the query counts itself
                continue
            rows = sorted(asked.session.scalars(count))
            assert rows == _ids(asked, query), user.email
            assert capped_count(count) == capped_count(query), user.email
            seen += bool(rows)
        assert seen >= 4  # the hospital, the lead and the insurers asked have some


def _pages(db, query, order, narrow: bool, per_page: int = 2) -> list[list[int]]:
    """Every page by number, then every page by the Volgende and then the Vorige links."""
    by_number, page = [], 1
    while True:
        result = paginate(query, page, per_page, order=order, narrow=narrow)
        by_number.append([r.id for r in result.items])
        if not result.has_next:
            break
        page += 1
    forth = [paginate(query, 1, per_page, order=order, narrow=narrow)]
    while forth[-1].has_next:
        forth.append(paginate(query, len(forth) + 1, per_page, order=order, narrow=narrow,
                              cursor=decode(forth[-1].next_cursor)))
    back = [forth[-1]]
    while back[-1].previous_cursor:
        back.append(paginate(query, 1, per_page, order=order, narrow=narrow,
                             cursor=decode(back[-1].previous_cursor, backwards=True)))
    return [by_number, [[r.id for r in p.items] for p in forth], [[r.id for r in p.items] for p in reversed(back)]]


def test_a_narrowed_page_has_the_rows_and_the_order_of_the_plain_one(app, asked):
    flows.decide(app, asked, "vgz@demo.nl", "follow")
    with app.app_context():
        compared = 0
        for user in _users(asked):
            for query, order in ((decisions.queue_query(user), decisions.QUEUE_ORDER),
                                 (adoption.adoption_requests_query(user), adoption.ADOPTION_REQUESTS_ORDER)):
                if query is None:
                    continue
                plain = _pages(asked, query, order, narrow=False)
                assert _pages(asked, query, order, narrow=True) == plain, user.email
                compared += sum(len(page) for page in plain[0])
        assert compared > 10


def test_the_queue_joins_the_initiatives_to_its_page_only(app, asked):
    """The queue's three states merged by deadline are sorted: its eager joins (the initiative,
    its region and lead) come after the page's keys are chosen, not before the sort."""
    with app.app_context():
        user = flows.user(asked, "vgz@demo.nl")
        with statements_sent(app, asked, queries_only=True) as sent:
            page = decisions.queue(user)
        assert page.items
        read = [s for s in sent if "JOIN initiatives" in s and "count(" not in s]
        assert len(read) == 1
        keys = read[0].index("IN (SELECT")
        assert "LIMIT" in read[0][keys:] and "LIMIT" not in read[0][:keys]


@pytest.mark.parametrize(("email", "index"), [("vgz@demo.nl", "ix_follow_requests_insurer_kind"),
                                              ("menzis@demo.nl", "ix_follow_requests_initiative_kind"),
                                              ("ziekenhuis@demo.nl", "ix_follow_requests_provider_kind")])
def test_the_adoption_list_counts_through_its_index(app, asked, email, index):
    """Not every adoption request in the country (ix_follow_requests_kind_deadline) to count an
    organisation's few: the plan of the count the list sends."""
    with app.app_context():
        if asked.engine.dialect.name != "sqlite":
            pytest.skip("the plan's wording is SQLite's")
        sent: list[tuple[str, tuple]] = []

        def record(conn, cursor, statement, parameters, *args):
            sent.append((statement, parameters))

        sa.event.listen(asked.engine, "before_cursor_execute", record)
        try:
            adoption.adoption_requests_for(flows.user(asked, email))
        finally:
            sa.event.remove(asked.engine, "before_cursor_execute", record)
        statement, parameters = next((s, p) for s, p in sent if s.startswith("SELECT count(*)"))
        plan = "\n".join(row[-1] for row in asked.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))
        assert index in plan and "ix_follow_requests_kind_deadline" not in plan, plan

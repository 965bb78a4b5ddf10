"""Use cases: load, ask the domain, write, audit, notify, commit.

Services are the only layer that commits, always through `write_transaction`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innovatieregister.database import WRITE_OPTION
from innovatieregister.extensions import db


class ServiceError(Exception):
    """A use case refused; `message` is Dutch and meant for the user."""

    status = 400

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    @property
    def details(self) -> list[str]:
        """Every per-field message, in order: for pages that list them above the form."""
        return [m for messages in self.field_errors.values() for m in messages]


class Invalid(ServiceError):
    status = 422


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


@contextmanager
def write_transaction() -> Iterator[Session]:
    """One use case's write: commits on success, rolls back everything on any error.

    On SQLite the transaction begins IMMEDIATE, taking the write lock before the use
    case reads what it decides on. Nested calls join the outer transaction.
    """
    session = db.session()  # the request's Session behind the scoped proxy
    if session.info.get(WRITE_OPTION):
        yield session
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("changes made outside a service transaction")
    if session.in_transaction():
        # End the read transaction the request began (loading the user, say).
        session.commit()
    session.info[WRITE_OPTION] = True
    try:
        session.connection(execution_options={WRITE_OPTION: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(WRITE_OPTION, None)


def lock_in_order(connection: sa.Connection, table: sa.Table, ids: Iterable[int]) -> None:
    """Lock these rows, in id order, before recomputing what a flush stores on them: a concurrent
    writer of the same rows then waits (one order, so no deadlock), and computing after the lock
    (a fresh snapshot on PostgreSQL) sees what it committed."""
    connection.execute(sa.select(table.c.id).where(table.c.id.in_(sorted(ids))).order_by(table.c.id)
                       .with_for_update())


# Stored figures kept in the flush that moves them: registered whenever any use case can write.
from innovatieregister.services import committed, decision_times  # noqa: E402, F401

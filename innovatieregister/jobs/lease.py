"""One scheduler at a time: a lease that keeps a second scheduler idle while the first lives.

PostgreSQL: a session-level advisory lock on a connection the scheduler keeps open; it is
released when that process (or its connection) dies. SQLite: a row with an expiry that
the holder renews on every tick; a dead holder's lease runs out.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa

from innovatieregister.extensions import db
from innovatieregister.models import SchedulerLease
from innovatieregister.services import write_transaction

LEASE_NAME = "scheduler"
ADVISORY_KEY = 7_402_118_222


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    def __init__(self, holder: str, ttl: timedelta):
        self.holder = holder
        self.ttl = ttl
        self._connection: sa.Connection | None = None  # PostgreSQL: the connection that holds the advisory lock

    def acquire(self, now: datetime) -> bool:
        """Take or renew the lease; False while another live scheduler holds it."""
        if db.engine.dialect.name == "postgresql":
            return self._advisory()
        with write_transaction():
            lease = db.session.get(SchedulerLease, LEASE_NAME)
            if lease is not None and lease.holder != self.holder and lease.expires_at > now:
                return False
            if lease is None:
                lease = SchedulerLease(name=LEASE_NAME, holder=self.holder, expires_at=now + self.ttl)
                db.session.add(lease)
            lease.holder, lease.expires_at = self.holder, now + self.ttl
        return True

    def _advisory(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.exec_driver_sql("SELECT 1")
                return True
            except sa.exc.DBAPIError:
                self._connection = None  # the connection died, and the lock with it
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar():
            self._connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._connection.close()
            self._connection = None
            return
        if db.engine.dialect.name != "postgresql":
            with write_transaction():
                lease = db.session.get(SchedulerLease, LEASE_NAME)
                if lease is not None and lease.holder == self.holder:
                    db.session.delete(lease)

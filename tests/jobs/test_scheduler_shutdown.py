"""`flask scheduler run` stops on SIGTERM (and SIGINT) and releases its lease at once, so the
scheduler started next takes over without waiting SCHEDULER_LEASE_SECONDS."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from innovatieregister.jobs.lease import Lease, holder_name
from tests.frozen_clock import START

ROOT = Path(__file__).resolve().parents[2]


class _NotHandled(Exception):
    """Raised by the test's own handler: the scheduler did not take the signal."""


def _wait_until(condition, tries: int = 500, pause: float = 0.02) -> bool:
    for _ in range(tries):
        if condition():
            return True
        time.sleep(pause)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_ends_the_scheduler_and_frees_the_lease_for_the_next(app, database, signum):
    from innovatieregister.jobs.scheduler import run_scheduler

    def not_handled(number, _frame):
        raise _NotHandled(number)

    previous = signal.signal(signum, not_handled)
    lease = Lease(holder_name(), timedelta(minutes=3))

    def hold_the_lease_then_signal() -> None:
        assert _wait_until(lambda: signal.getsignal(signum) is not not_handled), "no handler installed"
        with app.app_context():
            assert lease.acquire(START)  # as the scheduler's first round does
        os.kill(os.getpid(), signum)

    sender = threading.Thread(target=hold_the_lease_then_signal)
    try:
        sender.start()
        run_scheduler(app, lease)  # returns, rather than raising _NotHandled or blocking
        sender.join(timeout=5)
        assert signal.getsignal(signum) is not_handled  # the process's own handler is back
    finally:
        signal.signal(signum, previous)
    with app.app_context():
        standby = Lease("standby", timedelta(minutes=3))
        try:
            assert standby.acquire(START + timedelta(seconds=1))  # at once, not after 3 minutes
        finally:
            standby.release()


def test_flask_scheduler_run_releases_its_lease_on_sigterm_and_exits_cleanly(tmp_path):
    """The real process: started, holding the lease, terminated as systemd or a deploy does."""
    url = f"sqlite:///{tmp_path / 'scheduler.db'}"
    env = {**os.environ, "INNOVATIEREGISTER_ENV": "development", "DATABASE_URL": url, "FLASK_APP": "wsgi:app",
           "INSTANCE_PATH": str(tmp_path), "MAIL_FOLDER": str(tmp_path / "mail"),
           "SCHEDULER_INTERVAL_SECONDS": "3600", "SCHEDULER_LEASE_SECONDS": "180"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    engine = sa.create_engine(url)

    def holder() -> str | None:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT holder FROM scheduler_leases")).scalar()

    process = subprocess.Popen([*flask, "scheduler", "run"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_until(lambda: holder() is not None or process.poll() is not None, tries=600, pause=0.05)
        assert process.poll() is None, process.stdout.read()
        assert holder().endswith(f":{process.pid}")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, process.stdout.read()
        assert holder() is None
        assert "lease is vrijgegeven" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        engine.dispose()

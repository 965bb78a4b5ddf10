"""The one scheduler process: APScheduler 3 running the due jobs on an interval."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from innovatieregister import clock
from innovatieregister.jobs import run_due
from innovatieregister.jobs.lease import Lease, holder_name

log = logging.getLogger(__name__)


def tick(app: Flask, lease: Lease) -> dict[str, int] | None:
    """One round: run every job if this process holds the lease, else stay idle (None)."""
    with app.app_context():
        from innovatieregister.extensions import db

        try:
            now = clock.now()
            if not lease.acquire(now):
                log.info("another scheduler holds the lease; idle")
                return None
            report = run_due(now)
            log.info("jobs run: %s", report)
            return report
        finally:
            db.session.remove()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def run_scheduler(app: Flask, lease: Lease | None = None) -> None:
    """Block, running the jobs every SCHEDULER_INTERVAL_SECONDS, until SIGTERM or SIGINT.

    On either signal the scheduler finishes the round under way, runs no other, and releases
    its lease, so a scheduler started next (a restart, a standby) takes over at once instead
    of waiting SCHEDULER_LEASE_SECONDS for the lease to run out.
    """
    lease = lease or Lease(holder_name(), timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"]))
    scheduler = BackgroundScheduler(job_defaults={
        "coalesce": True,  # after downtime one run catches up; the jobs look at all that fell due
        "max_instances": 1,
        "misfire_grace_time": 3600,
    })
    scheduler.add_job(tick, "interval", args=[app, lease], id="due-jobs",
                      seconds=app.config["SCHEDULER_INTERVAL_SECONDS"], next_run_time=clock.now())
    # The handler only asks; the main thread stops the scheduler outside APScheduler's own code
    # (a handler that shut it down itself could interrupt it in the middle of a round).
    stop_requested = threading.Event()

    def request_stop(signum, _frame) -> None:
        log.info("signal %s: stopping the scheduler", signal.Signals(signum).name)
        stop_requested.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
    try:
        scheduler.start()
        stop_requested.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if scheduler.running:
            scheduler.shutdown(wait=True)  # a round under way ends first; no other starts
        with app.app_context():
            lease.release()
        log.info("scheduler stopped; lease released")

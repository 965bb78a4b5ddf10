"""The benchmark instrument (issue 15): the national registry, served by gunicorn, measured.

    .venv/bin/python bench/national.py [--scale small|national|both] [--database-url URL]
                                       [--rounds 3] [--seconds 1.0] [--smoke]

For each scale: a fresh database (an SQLite file in a temporary folder, or the PostgreSQL
database at --database-url, WHOSE SCHEMA IS DROPPED FIRST), the schema from the migrations
(`flask db upgrade`), the demo (`flask demo load`), then the synthetic registry of
bench/registry.py. Then, per key page and per user who sees most (the lead insurer of the most
initiatives, the insurer with the most live requests, the mediator, a provider):

- queries per page: the page requested in-process (Flask's test client), SQL statements counted;
- throughput: gunicorn with 2 workers serves the database; each page is timed for --seconds,
  interleaved over --rounds with `/gezondheid` called the same way (with the session cookie, or
  with the bearer token for the API), ratio = page req/s / trivial req/s; p50/p95 of the page;
- worker memory: the workers' RSS before and after serving every page.

Then the scheduler pass (a separate database with 100,000 open requests, 1,000 overdue and 8,000
due a reminder at national scale; a hundredth of that at small scale): time and statements of
the first and of the second pass, against reading the due rows. And `flask audit verify` on the
registry's trail: its time against reading the rows, and its peak memory.

--smoke: the small scale, one short round, for CI (it must complete; nothing is asserted on time).
--keep DIR: build into DIR and leave it there; a later run with the same --keep (and the same
database) reuses the registry it finds (migrated to the newest revision), so a change can be
measured without building the national registry again. --only PAGE,...: measure only the pages
whose path contains one of these.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from registry import BENCH_PASSWORD, SCALES, build, open_requests_registry  # noqa: E402

BIN = Path(sys.executable).parent
SCHEDULER = {"national": (100_000, 1_000, 8_000), "small": (1_000, 10, 80)}


# -- the database -----------------------------------------------------------------------------

def environment(url: str, folder: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "INNOVATIEREGISTER_ENV": "development", "FLASK_APP": "wsgi:app",
            "AUDIT_CHECKPOINT_DIR": str(folder / "checkpoints"), "MAIL_FOLDER": str(folder / "mail"),
            "PYTHONPATH": str(ROOT)}


def fresh_database(url: str | None, folder: Path, name: str) -> str:
    """An empty database: a new SQLite file, or the PostgreSQL database with its schema dropped."""
    if url is None:
        return f"sqlite:///{folder / name}.db"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


def migrate_and_load_demo(env: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([str(BIN / "flask"), *command], env=env, cwd=ROOT, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_app(url: str, folder: Path):
    from config import Config
    from innovatieregister import create_app

    class BenchConfig(Config):
        ENVIRONMENT = "development"
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False  # the in-process client only
        AUDIT_CHECKPOINT_DIR = str(folder / "checkpoints")
        MAIL_FOLDER = str(folder / "mail")

    return create_app(BenchConfig)


class Statements(list):
    """[count], and the statements themselves (with their parameters) for the query plans."""

    def __init__(self):
        super().__init__([0])
        self.statements: list[tuple[str, object]] = []


@contextmanager
def counting(engine):
    """Count the SQL statements sent while the block runs."""
    count = Statements()

    def before(_conn, _cursor, statement, parameters, *_args):
        count[0] += 1
        count.statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


# -- who sees most, and their pages -------------------------------------------------------------

def pick_users_and_pages(app) -> list[tuple[str, str, list[str]]]:
    """(label, e-mail, pages) for the lead of the most initiatives, the insurer with the most live
    requests, the mediator and the provider in the most initiatives."""
    from innovatieregister.extensions import db
    from innovatieregister.models import (
        FollowRequest,
        Initiative,
        InitiativeProvider,
        Measurement,
        MediationCase,
        Region,
        User,
    )

    with app.app_context():
        def first_user(org_id: int) -> str:
            return db.session.scalar(sa.select(User.email).where(User.organisation_id == org_id).order_by(User.id))

        lead_org, led = db.session.execute(sa.select(Initiative.lead_insurer_id, sa.func.count()).group_by(
            Initiative.lead_insurer_id).order_by(sa.func.count().desc()).limit(1)).one()
        live_org, live = db.session.execute(sa.select(FollowRequest.insurer_id, sa.func.count()).where(
            FollowRequest.state.in_(["open", "decided", "overdue"])).group_by(FollowRequest.insurer_id)
            .order_by(sa.func.count().desc()).limit(1)).one()
        provider_org, involved = db.session.execute(sa.select(InitiativeProvider.provider_id, sa.func.count())
                                                    .group_by(InitiativeProvider.provider_id)
                                                    .order_by(sa.func.count().desc()).limit(1)).one()
        # The lead's richest initiative: opened, the most requests.
        initiative = db.session.scalar(sa.select(FollowRequest.initiative_id).join(Initiative).where(
            Initiative.lead_insurer_id == lead_org).group_by(FollowRequest.initiative_id)
            .order_by(sa.func.count().desc(), FollowRequest.initiative_id).limit(1))
        region = db.session.scalar(sa.select(Region.code).join(Initiative, Initiative.region_id == Region.id)
                                   .where(Initiative.id == initiative))
        case = db.session.scalar(sa.select(MediationCase.id).order_by(
            (MediationCase.state != "in_progress"), MediationCase.id).limit(1))
        # After the decision (issue 10): the running initiative with the longest history (more
        # measurements, evaluations, log entries and documents than a page shows), as its lead sees it.
        running = db.session.execute(sa.select(Measurement.initiative_id, Initiative.lead_insurer_id).join(Initiative)
                                     .where(Initiative.status.in_(["active", "evaluated", "extended"]))
                                     .group_by(Measurement.initiative_id,
                                                                                    Initiative.lead_insurer_id)
                                     .order_by(sa.func.count().desc(), Measurement.initiative_id).limit(1)).one()
        life = [f"/initiatieven/{running[0]}/looptijd", f"/initiatieven/{running[0]}/monitor",
                f"/initiatieven/{running[0]}/documenten", "/register/?evaluatie=succesvol",
                f"API /api/v1/initiatives/{running[0]}/measurements",
                f"API /api/v1/initiatives/{running[0]}/evaluations",
                # Issue 11's money after the decision: settlement and shared savings, page and API.
                f"/initiatieven/{running[0]}/nacalculatie", f"/initiatieven/{running[0]}/besparingen",
                f"API /api/v1/initiatives/{running[0]}/settlements"]
        print(f"users: lead of {led} initiatives ({first_user(lead_org)}), insurer with {live} live requests "
              f"({first_user(live_org)}), provider in {involved} initiatives ({first_user(provider_org)}), mediator",
              flush=True)
        return [
            ("lead", first_user(lead_org), [
                "/", "/register/", "/initiatieven/", f"/initiatieven/{initiative}",
                f"/initiatieven/{initiative}/tijdlijn", f"/regios/{region}", "/meldingen",
                "API /api/v1/initiatives", f"API /api/v1/initiatives/{initiative}/cost-shares",
                f"API /api/v1/regions/{region}/dashboard",
                # Issues 11, 12 and 14: co-funding, the regional plan, the timeline and notifications by API.
                f"/initiatieven/{initiative}/medefinanciering", f"/regios/{region}/plan",
                f"API /api/v1/initiatives/{initiative}/timeline", "API /api/v1/notifications"]),
            ("insurer", first_user(live_org), [
                "/", "/besluiten/", "/overnameverzoeken/", "/meldingen", "API /api/v1/follow-requests",
                "API /api/v1/adoption-requests"]),
            ("mediator", "bemiddelaar@demo.nl", [
                "/", "/bemiddeling/", f"/bemiddeling/{case}", f"/bemiddeling/{case}/tijdlijn", "/meldingen",
                # Issue 12's figures: the whole country and one region's insurers, as the one who sees all.
                "/cijfers/landelijk", f"/cijfers/verzekeraars?regio={region}", "API /api/v1/dashboards/national",
                "API /api/v1/mediation-cases", f"API /api/v1/mediation-cases/{case}"]),
            ("provider", first_user(provider_org), ["/", "/initiatieven/", "/overnameverzoeken/", "/register/",
                                                    "/openbaar/", "API /api/v1/public/initiatives"]),
            ("lead (running)", first_user(running[1]), life),
        ]


def tokens(app, emails: list[str]) -> dict[str, str]:
    from innovatieregister import clock
    from innovatieregister.extensions import db
    from innovatieregister.models import User
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        return {email: create_token(db.session.scalar(sa.select(User).where(User.email == email)), "bench",
                                    clock.now())[1] for email in emails}


def queries_per_page(app, plan, raw_tokens) -> dict[tuple[str, str], int]:
    from innovatieregister.extensions import db

    counts = {}
    for label, email, pages in plan:
        client = app.test_client()
        response = client.post("/inloggen", data={"email": email, "password": BENCH_PASSWORD})
        assert response.status_code == 302, f"log-in as {email}: {response.status_code}"
        for page in pages:
            api = page.startswith("API ")
            path = page.removeprefix("API ")
            headers = {"Authorization": f"Bearer {raw_tokens[email]}"} if api else {}
            with app.app_context():
                engine = db.engine
            (client if not api else app.test_client()).get(path, headers=headers)  # warm caches
            with counting(engine) as count:
                response = (client if not api else app.test_client()).get(path, headers=headers)
            assert response.status_code == 200, \
                f"{page} as {email}: {response.status_code} {response.get_data(as_text=True)[:2000]}"
            counts[(label, page)] = count[0]
    return counts


# -- serving and timing -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], port: int):
    process = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",  # noqa: S603
                                "--log-level", "warning", "wsgi:app"], env=env, cwd=ROOT)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/gezondheid").read()  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(30)


def worker_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


class Client:
    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def login(self, email: str) -> None:
        page = self.opener.open(f"{self.base}/inloggen").read().decode()
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page)
        data = {"email": email, "password": BENCH_PASSWORD, "csrf_token": csrf.group(1) if csrf else ""}
        self.opener.open(f"{self.base}/inloggen", data=urllib.parse.urlencode(data).encode()).read()

    def get(self, path: str) -> float:
        request = urllib.request.Request(self.base + path)  # noqa: S310 - http only
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        started = time.perf_counter()
        with self.opener.open(request) as response:
            response.read()
            if response.status != 200 or response.geturl().endswith("/inloggen"):
                raise RuntimeError(f"{path}: {response.status} {response.geturl()}")
        return time.perf_counter() - started


def timed(client: Client, path: str, seconds: float) -> list[float]:
    latencies, started = [], time.perf_counter()
    while time.perf_counter() - started < seconds or len(latencies) < 3:
        latencies.append(client.get(path))
    return latencies


def measure_pages(env, plan, raw_tokens, rounds: int, seconds: float) -> tuple[dict, dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    results = {}
    with gunicorn(env, port) as server:
        time.sleep(0.5)
        clients = {}
        for label, email, _pages in plan:
            web = Client(base)
            web.login(email)
            clients[label] = (web, Client(base, raw_tokens[email]))
        for web, api in clients.values():  # both workers warm
            for _ in range(4):
                web.get("/gezondheid")
                api.get("/gezondheid")
        rss_before = worker_rss_mb(server.pid)
        for label, _email, pages in plan:
            web, api = clients[label]
            for page in pages:
                client = api if page.startswith("API ") else web
                path = page.removeprefix("API ")
                client.get(path)  # warm
                page_lat, base_lat, page_time, base_time = [], [], 0.0, 0.0
                for _ in range(rounds):
                    b = timed(client, "/gezondheid", seconds)
                    p = timed(client, path, seconds)
                    base_lat += b
                    page_lat += p
                    base_time += sum(b)
                    page_time += sum(p)
                ratio = (len(page_lat) / page_time) / (len(base_lat) / base_time)
                results[(label, page)] = {"ratio": ratio, "p50": statistics.median(page_lat) * 1000,
                                          "p95": quantile(page_lat, 0.95) * 1000}
                print(f"  {label:<9}{page:<48}ratio {ratio:5.2f}  p50 {results[(label, page)]['p50']:7.1f} ms"
                      f"  p95 {results[(label, page)]['p95']:7.1f} ms", flush=True)
        rss_after = worker_rss_mb(server.pid)
    return results, {"before": rss_before, "after": rss_after}


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- the scheduler pass and the audit verification -------------------------------------------------

def scheduler_figures(url: str | None, folder: Path, scale: str) -> dict:
    from innovatieregister import clock
    from innovatieregister.domain.calendar import add_working_days, dutch_date
    from innovatieregister.domain.workflow import FollowRequestState
    from innovatieregister.extensions import db
    from innovatieregister.jobs import run_due
    from innovatieregister.models import FollowRequest

    requests, overdue, reminders = SCHEDULER[scale]
    db_url = fresh_database(url, folder, f"scheduler-{scale}")
    migrate_and_load_demo(environment(db_url, folder))
    app = make_app(db_url, folder)
    open_requests_registry(app, requests, overdue, reminders)
    figures = {"requests": requests, "overdue": overdue, "reminders": reminders}
    with app.app_context():
        now = clock.now()
        today = dutch_date(now)
        horizon = add_working_days(today, app.config["REMINDER_WORKING_DAYS_BEFORE"])
        started = time.perf_counter()
        due = db.session.execute(sa.select(FollowRequest.__table__).where(
            FollowRequest.state == FollowRequestState.OPEN, FollowRequest.deadline <= horizon)).all()
        figures["read_due_s"] = time.perf_counter() - started
        figures["due_rows"] = len(due)
        db.session.remove()
        for n in (1, 2):
            with counting(db.engine) as count:
                started = time.perf_counter()
                report = run_due(now, include_mail=False)
                figures[f"pass{n}_s"] = time.perf_counter() - started
            figures[f"pass{n}_statements"] = count[0]
            figures[f"pass{n}_report"] = report
            db.session.remove()
        # The second pass sends only the selections: their plans.
        explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
        figures["plans"] = []
        with db.engine.connect() as conn:
            for statement, parameters in count.statements:
                if statement.lstrip().upper().startswith("SELECT"):
                    plan = conn.exec_driver_sql(explain + statement, parameters).all()
                    figures["plans"].append((statement, [" ".join(str(c) for c in row) for row in plan]))
    return figures


def audit_figures(url: str, folder: Path) -> dict:
    """`flask audit verify` in its own process (its peak memory), against reading the same rows."""
    from innovatieregister.extensions import db
    from innovatieregister.services.audit_trail import _in_order, verify_chain

    app = make_app(url, folder)
    with app.app_context():
        started = time.perf_counter()
        rows = sum(1 for _ in _in_order())  # the same rows, the same query, nothing checked
        read_s = time.perf_counter() - started
        db.session.remove()
        started = time.perf_counter()
        verdict = verify_chain()
        verify_s = time.perf_counter() - started
        assert not verdict.problems, verdict
        db.session.remove()
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "flask"), "audit", "verify"], env=environment(url, folder),  # noqa: S603
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak_mb, samples = 0.0, []
    while process.poll() is None:  # the command's memory, sampled while it runs
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            break
        rss = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)
        samples.append(rss)
        peak_mb = max(peak_mb, rss)
        time.sleep(0.05)
    stdout = process.communicate()[0]
    command_s = time.perf_counter() - started
    output = stdout.strip().splitlines()
    half = samples[len(samples) // 2] if samples else 0.0
    return {"rows": rows, "read_s": read_s, "verify_s": verify_s, "command_s": command_s,
            "exit": process.returncode, "peak_mb": peak_mb, "half_mb": half, "output": output[0] if output else ""}


# -- the run --------------------------------------------------------------------------------------

def run_scale(scale: str, url: str | None, folder: Path, rounds: int, seconds: float, parts: set[str],
              keep: bool = False, only: list[str] | None = None) -> dict:
    print(f"\n== {scale} ({'PostgreSQL' if url else 'SQLite'})", flush=True)
    if parts == {"scheduler"}:
        return {"scheduler": scheduler_figures(url, folder, scale)}
    # With --keep, a marker names the registry the database holds (one per database).
    marker = folder / ("registry-postgresql.built" if url else f"registry-{scale}.built")
    started = time.perf_counter()
    if keep and marker.exists() and marker.read_text() == scale:
        db_url = url or f"sqlite:///{folder / f'registry-{scale}'}.db"
        env = environment(db_url, folder)
        subprocess.run([str(BIN / "flask"), "db", "upgrade"], env=env, cwd=ROOT, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        app = make_app(db_url, folder)
        counts = {"reused": scale}
        print(f"reused the {scale} registry in {folder}", flush=True)
    else:
        marker.unlink(missing_ok=True)
        db_url = fresh_database(url, folder, f"registry-{scale}")
        env = environment(db_url, folder)
        migrate_and_load_demo(env)
        app = make_app(db_url, folder)
        counts = build(app, SCALES[scale])
        marker.write_text(scale)
        print(f"built in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    plan = pick_users_and_pages(app)
    if only:
        plan = [(label, email, [p for p in pages if any(o in p for o in only)]) for label, email, pages in plan]
    raw_tokens = tokens(app, [email for _label, email, _pages in plan])
    queries = queries_per_page(app, plan, raw_tokens)
    with app.app_context():
        from innovatieregister.extensions import db
        db.engine.dispose()
    pages, rss = measure_pages(env, plan, raw_tokens, rounds, seconds) if "pages" in parts else ({}, {})
    audit = audit_figures(db_url, folder) if "audit" in parts else None
    print(f"audit verify: {audit}", flush=True)
    scheduler = scheduler_figures(url, folder, scale) if "scheduler" in parts else None
    print(f"scheduler: {scheduler}", flush=True)
    return {"counts": counts, "queries": queries, "pages": pages, "rss": rss, "audit": audit,
            "scheduler": scheduler}


def report(runs: dict[str, dict], database: str) -> None:
    scales = list(runs)
    first = runs[scales[0]]
    if first.get("pages"):
        print(f"\n### Pages ({database}, gunicorn 2 workers; ratio = page req/s / /gezondheid req/s)\n")
        print("| user | page | queries | " + " | ".join(f"ratio {s}" for s in scales) + " | "
              + " | ".join(f"p50 {s} (ms)" for s in scales) + " | " + " | ".join(f"p95 {s} (ms)" for s in scales)
              + " |")
        print("|" + "---|" * (3 + 3 * len(scales)))
        for key in first["pages"]:
            label, page = key
            same = {s: _same(runs[s]["pages"], key) for s in scales}
            cells = [label, _generic(page), " → ".join(str(runs[s]["queries"].get(same[s], "?")) for s in scales)]
            for field, fmt in (("ratio", "{:.2f}"), ("p50", "{:.0f}"), ("p95", "{:.0f}")):
                cells += [fmt.format(runs[s]["pages"][same[s]][field]) if same[s] else "?" for s in scales]
            print("| " + " | ".join(cells) + " |")
    print()
    for s in scales:
        r = runs[s]
        if r.get("rss"):
            print(f"- {s}: worker RSS before {', '.join(f'{v:.0f}' for v in r['rss']['before'])} MB, "
                  f"after {', '.join(f'{v:.0f}' for v in r['rss']['after'])} MB; rows {r['counts']}")
        if a := r.get("audit"):
            rate = a["rows"] / a["verify_s"]
            print(f"- {s}: audit verify {a['rows']:,} entries in {a['verify_s']:.1f} s ({rate:,.0f}/s), reading the"
                  f" rows {a['read_s']:.1f} s (verify = {a['verify_s'] / a['read_s']:.2f} × reading); `flask audit"
                  f" verify` {a['command_s']:.1f} s, RSS half-way {a['half_mb']:.0f} MB, peak {a['peak_mb']:.0f} MB,"
                  f" exit {a['exit']} (2: no checkpoint yet): {a['output']}")
        if c := r.get("scheduler"):
            print(f"- {s}: scheduler over {c['requests']:,} open requests ({c['overdue']:,} overdue,"
                  f" {c['reminders']:,} due a reminder): reading the {c['due_rows']:,} due rows"
                  f" {c['read_due_s']:.2f} s; pass 1 {c['pass1_s']:.1f} s, {c['pass1_statements']:,} statements"
                  f" {c['pass1_report']}; pass 2 {c['pass2_s']:.2f} s, {c['pass2_statements']:,} statements")
            for statement, plan in c.get("plans", []):
                print("\n    " + " ".join(statement.split()) + "\n      " + "\n      ".join(plan))


def _generic(page: str) -> str:
    """A page's path with its ids and region codes (in a path or ?regio=) written generically."""
    page = re.sub(r"/(regios|regions)/\w+", r"/\1/<code>", page)
    return re.sub(r"/\d+", "/<id>", re.sub(r"regio=\w+", "regio=<code>", page))


def _same(pages: dict, key: tuple[str, str]):
    """The same page at another scale (ids and region codes differ between builds)."""
    label, page = key
    generic = _generic(page)
    for other in pages:
        if other[0] == label and _generic(other[1]) == generic:
            return other
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "national", "both"], default="both")
    parser.add_argument("--database-url", help="a disposable PostgreSQL database (its schema is dropped)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0, help="per page and per round")
    parser.add_argument("--smoke", action="store_true", help="small scale, one short round (CI)")
    parser.add_argument("--parts", default="pages,audit,scheduler",
                        help="what to measure, comma-separated: pages, audit, scheduler")
    parser.add_argument("--keep", type=Path, help="build into this folder, keep it, reuse what it holds")
    parser.add_argument("--only", help="measure only the pages whose path contains one of these (comma-separated)")
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.rounds, args.seconds = "small", 1, 0.05
    scales = ["small", "national"] if args.scale == "both" else [args.scale]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    folder = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-national-"))
    only = args.only.split(",") if args.only else None
    try:
        parts = set(args.parts.split(","))
        runs = {scale: run_scale(scale, args.database_url, folder, args.rounds, args.seconds, parts,
                                 keep=bool(args.keep), only=only)
                for scale in scales}
        report(runs, "PostgreSQL" if args.database_url else "SQLite")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

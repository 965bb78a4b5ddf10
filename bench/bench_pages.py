"""Key pages' throughput at two sizes of registry, as ratios to a trivial route (DESIGN §8).

Builds a synthetic registry (bulk inserts on top of the demo) in a fresh SQLite file, serves
it with a threaded server in this process, and times each page against /gezondheid served by
the same server in the same run. Absolute numbers on a shared machine mean little; the
ratios, and how they move from the small to the large registry, do.

    .venv/bin/python bench/bench_pages.py [--small 1000] [--large 100000] [--seconds 3]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

REQUESTS_PER_INITIATIVE = 9  # Twente: ten insurers, one of them the lead


def build(app, decisions_wanted: int) -> int:
    """Add initiatives whose requests carry ~decisions_wanted decisions in total; return one id."""
    from innovatieregister.extensions import db
    from innovatieregister.models import (
        CostLine,
        Decision,
        Evaluation,
        FollowRequest,
        Initiative,
        InitiativeProvider,
        MarketShare,
        MarketShareSet,
        Organisation,
        Region,
        User,
    )

    rnd = random.Random(8)
    with app.app_context():
        twente = db.session.scalar(sa.select(Region).where(Region.code == "ZK22"))
        share_set = db.session.scalar(sa.select(MarketShareSet))
        insurers = db.session.scalars(sa.select(MarketShare.insurer_id).where(
            MarketShare.set_id == share_set.id, MarketShare.region_id == twente.id)).all()
        menzis = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "MENZIS"))
        providers = db.session.scalars(sa.select(Organisation.id).where(Organisation.kind == "provider")).all()[:2]
        deciders = {u.organisation_id: u.id for u in db.session.scalars(sa.select(User))}
        fallback_user = next(iter(deciders.values()))
        followers = [i for i in insurers if i != menzis]
        start_id = (db.session.scalar(sa.select(sa.func.max(Initiative.id))) or 0) + 1
        count = max(1, decisions_wanted // (REQUESTS_PER_INITIATIVE + 2))
        now = datetime.now(UTC)
        initiatives, lines, links, requests, decisions, evaluations = [], [], [], [], [], []
        request_id = (db.session.scalar(sa.select(sa.func.max(FollowRequest.id))) or 0) + 1
        for n in range(count):
            iid = start_id + n
            initiatives.append({"id": iid, "title": f"Synthetisch initiatief {n}", "description": "bench",
                                "kind": "innovation", "phase": "scale_up", "status": "open", "region_id": twente.id,
                                "lead_insurer_id": menzis, "market_share_set_id": share_set.id, "opened_at": now,
                                "created_at": now - timedelta(minutes=n), "updated_at": now})
            lines.append({"initiative_id": iid, "category": "staff", "description": "Personeel",
                          "amount": 100_000 + n})
            links += [{"initiative_id": iid, "provider_id": p, "role": ""} for p in providers]
            # Up to three evaluations: the registry shows the latest verdict and filters on success.
            evaluations += [{"initiative_id": iid, "kind": "periodic", "reasoning": "bench", "created_at": now,
                             "verdict": rnd.choice(["on_track", "behind", "achieved", "not_achieved"]),
                             "organisation_id": menzis} for _ in range(rnd.randint(0, 3))]
            for k, insurer in enumerate(followers):
                # Most requests are long decided and closed; a few are still open.
                open_now = n < 20
                state = "open" if open_now and k % 3 == 0 else ("decided" if open_now else "closed")
                requests.append({"id": request_id, "kind": "follow", "initiative_id": iid, "insurer_id": insurer,
                                 "state": state, "deadline": now.date() + timedelta(days=rnd.randint(1, 30)),
                                 "insured": 1000 + k, "created_at": now})
                if state != "open":
                    versions = 1 + (rnd.random() < 0.2)
                    for v in range(1, versions + 1):
                        decisions.append({"follow_request_id": request_id, "version": v,
                                          "kind": "follow" if rnd.random() < 0.7 else "decline",
                                          "standing": v == versions,
                                          "decided_by_id": deciders.get(insurer, fallback_user),
                                          "decided_at": now, "conditions": "", "score": None, "threshold": None,
                                          "weighty": None})
                request_id += 1
        for table, rows in ((Initiative, initiatives), (CostLine, lines), (InitiativeProvider, links),
                            (FollowRequest, requests), (Decision, decisions), (Evaluation, evaluations)):
            for i in range(0, len(rows), 5000):
                db.session.execute(sa.insert(table), rows[i:i + 5000])
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count(Decision.id)))
        print(f"registry: {db.session.scalar(sa.select(sa.func.count(Initiative.id)))} initiatives, "
              f"{total} decisions", flush=True)
        return start_id


def throughput(opener, url: str, seconds: float) -> float:
    opener.open(url).read()  # warm up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        with opener.open(url) as response:
            response.read()
            assert response.status == 200, url
        done += 1
    return done / (time.perf_counter() - started)


def measure(app, initiative_id: int, seconds: float) -> dict[str, float]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        results = {}
        for email, pages in (("vgz@demo.nl", ["/initiatieven/", f"/initiatieven/{initiative_id}", "/besluiten/",
                                               "/register/", "/register/?evaluatie=succesvol"]),
                             ("bemiddelaar@demo.nl", ["/bemiddeling/"])):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            opener.open(f"{base}/inloggen", data=urllib.parse.urlencode(
                {"email": email, "password": "demo-wachtwoord-2026"}).encode()).read()
            results.setdefault("/gezondheid (baseline)", throughput(opener, f"{base}/gezondheid", seconds))
            for page in pages:
                results[page.replace(str(initiative_id), "<id>")] = throughput(opener, base + page, seconds)
        return results
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from config import Config
    from innovatieregister import create_app
    from innovatieregister.services.demo import load_demo

    runs = {}
    for label, size in (("small", args.small), ("large", args.large)):
        folder = tempfile.mkdtemp(prefix="bench-")

        class BenchConfig(Config):
            ENVIRONMENT = "development"
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/bench.db"
            WTF_CSRF_ENABLED = False
            PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a hashing method, not a password

        app = create_app(BenchConfig)
        with app.app_context():
            upgrade()
            load_demo()
        initiative_id = build(app, size)
        runs[label] = measure(app, initiative_id, args.seconds)

    base_small, base_large = runs["small"]["/gezondheid (baseline)"], runs["large"]["/gezondheid (baseline)"]
    print(f"\n{'page':<26}{'req/s small':>12}{'ratio':>8}{'req/s large':>13}{'ratio':>8}{'large/small':>13}")
    for page in runs["small"]:
        small, large = runs["small"][page], runs["large"][page]
        r_small, r_large = small / base_small, large / base_large
        print(f"{page:<26}{small:>12.0f}{r_small:>8.2f}{large:>13.0f}{r_large:>8.2f}{r_large / r_small:>13.2f}")


if __name__ == "__main__":
    main()

"""A synthetic national registry, built reproducibly (seeded) with bulk inserts.

On top of the demo (the real reference data: 31 zorgkantoorregio's, 10 insurer concerns, the
illustrative market shares, the demo users): initiatives spread over every region, each led by
one of its region's lead insurers (domain.leads), follow requests to every other insurer with
insured there, decisions (some in two versions), adoptions across regions and adoption requests
from providers, mediation cases with statements, notifications, and an audit trail whose chain
is built with the project's own functions (domain.audit_chain.keyed_hash), so `flask audit
verify` holds on it.

Rows go in as lists of dicts through SQLAlchemy Core (executemany), ids given up front so that
nothing has to be read back; PostgreSQL's sequences are moved past them at the end.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

BATCH = 10_000


@dataclass(frozen=True)
class Scale:
    initiatives: int
    audit_entries: int
    notifications_per_user: int
    live_share: float  # of the initiatives, how many still have requests being decided


SCALES = {
    # ~1,000 decisions
    "small": Scale(initiatives=100, audit_entries=10_000, notifications_per_user=200, live_share=0.06),
    # ~10,000 initiatives, ~100,000 decisions, ~1,000,000 audit entries
    "national": Scale(initiatives=10_000, audit_entries=1_000_000, notifications_per_user=20_000, live_share=0.06),
}

BENCH_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the demo's password, for the bench users too

# Status of the initiatives that are not live, with weights (live ones are 'open' or 'in_mediation').
SETTLED = [("concept", 8), ("partially_funded", 15), ("fully_funded", 10), ("active", 40), ("evaluated", 5),
           ("extended", 4), ("ended", 5), ("withdrawn", 3)]
# After the decision (issue 10): the states with a term, goals with measurements and evaluations.
RUNNING = {"active", "evaluated", "extended", "ended"}
# Every HEAVY-th running initiative has a long history: more measurements, evaluations, log entries
# and documents than any page shows, so the life-cycle and monitor pages prove they stay bounded.
HEAVY, HEAVY_MEASUREMENTS, HEAVY_ROWS = 50, 120, 40
VERDICTS = [("on_track", 5), ("achieved", 2), ("behind", 2), ("not_achieved", 1)]


def _insert(conn, table, rows: list[dict]) -> None:
    """executemany wants the same keys in every row: an optional column left out is NULL."""
    keys = {key for row in rows for key in row}
    rows = [row if len(row) == len(keys) else {**dict.fromkeys(keys), **row} for row in rows]
    for i in range(0, len(rows), BATCH):
        conn.execute(sa.insert(table), rows[i:i + BATCH])


def _next_id(conn, table) -> int:
    return (conn.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


class Builder:
    """Collects rows in memory (ids assigned here), then writes them table by table."""

    def __init__(self, app, scale: Scale, seed: int = 2026):
        self.app, self.scale, self.rnd = app, scale, random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.rows: dict[str, list[dict]] = {}
        self.audit: list[dict] = []  # chain fields, in order; hashed at the end
        self.running = 0  # initiatives with a term so far (every HEAVY-th has a long history)

    def add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    def log(self, when: datetime, user: dict | None, action: str, object_type: str, object_id, after=None,
            before=None, label: str | None = None) -> None:
        self.audit.append({
            "occurred_at": when, "actor_user_id": user["id"] if user else None,
            "actor_organisation_id": user["organisation_id"] if user else None,
            "actor_label": user["email"] if user else label or "register: termijnbewaking",
            "action": action, "object_type": object_type, "object_id": str(object_id),
            "before": before, "after": after, "request_id": None})

    # -- reading what the demo made -------------------------------------------------------------

    def read_reference(self, conn) -> None:
        from innovatieregister.domain.leads import lead_insurers
        from innovatieregister.models import MarketShare, MarketShareSet, Organisation, Region, User

        t = MarketShare.__table__
        self.share_set = conn.scalar(sa.select(MarketShareSet.__table__.c.id)
                                     .order_by(MarketShareSet.__table__.c.peildatum.desc()).limit(1))
        self.regions = [r._asdict() for r in conn.execute(sa.select(Region.__table__.c.id, Region.__table__.c.code)
                                                          .order_by(Region.__table__.c.code))]
        self.insured: dict[int, dict[int, int]] = {}
        for row in conn.execute(sa.select(t.c.region_id, t.c.insurer_id, t.c.insured).where(
                t.c.set_id == self.share_set)):
            self.insured.setdefault(row.region_id, {})[row.insurer_id] = row.insured
        self.leads = {region: lead_insurers(counts) for region, counts in self.insured.items()}
        o = Organisation.__table__
        self.orgs = {r.code: r._asdict() for r in conn.execute(sa.select(o.c.id, o.c.code, o.c.kind, o.c.name))}
        self.insurers = sorted(r["id"] for r in self.orgs.values() if r["kind"] == "insurer")
        u = User.__table__
        self.users = {r.email: r._asdict() for r in conn.execute(sa.select(u.c.id, u.c.email, u.c.organisation_id,
                                                                            u.c.role, u.c.password_hash))}
        self.next = {name: _next_id(conn, table.__table__) for name, table in self.models().items()}

    @staticmethod
    def models() -> dict:
        from innovatieregister import models as m

        return {"organisations": m.Organisation, "users": m.User, "initiatives": m.Initiative,
                "follow_requests": m.FollowRequest, "decisions": m.Decision, "mediation_cases": m.MediationCase,
                "smart_goals": m.SmartGoal, "monitoring_moments": m.MonitoringMoment, "documents": m.Document}

    def new_id(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1

    # -- the registry ---------------------------------------------------------------------------

    def people(self) -> None:
        """A user for every insurer, and two providers with a user in every region."""
        password_hash = next(u["password_hash"] for u in self.users.values() if u["email"] == "vgz@demo.nl")
        self.staff: dict[int, dict] = {}  # organisation id -> its (first) user
        for user in sorted(self.users.values(), key=lambda u: u["id"]):
            self.staff.setdefault(user["organisation_id"], user)
        for org_id in self.insurers:
            if org_id not in self.staff:
                code = next(o["code"] for o in self.orgs.values() if o["id"] == org_id)
                self.staff[org_id] = self._user(f"{code.lower()}@bench.nl", org_id, "insurer_staff", password_hash)
        self.providers: dict[int, list[int]] = {}
        for region in self.regions:
            for n in range(2):
                org_id = self.new_id("organisations")
                code = f"BENCH-{region['code']}-{n}"
                self.add("organisations", {"id": org_id, "kind": "provider", "code": code,
                                           "name": f"Zorgaanbieder {region['code']} {n}", "source": "bench",
                                           "created_at": self.now})
                self.providers.setdefault(region["id"], []).append(org_id)
                self.staff[org_id] = self._user(f"{code.lower()}@bench.nl", org_id, "provider_staff", password_hash)
                self.log(self.now - timedelta(days=400), None, "organisation.create", "Organisation", org_id,
                         after={"code": code}, label="command: bench")
        # The demo's Twente hospital is involved in many initiatives: the provider who sees most.
        twente = next(r["id"] for r in self.regions if r["code"] == "ZK22")
        self.providers[twente].insert(0, self.orgs["ZH-TWENTE"]["id"])

    def _user(self, email: str, org_id: int, role: str, password_hash: str) -> dict:
        user = self.add("users", {"id": self.new_id("users"), "email": email, "name": email.split("@")[0],
                                  "password_hash": password_hash, "organisation_id": org_id, "role": role,
                                  "active": True, "session_version": 1, "failed_logins": 0,
                                  "must_change_password": False, "created_at": self.now})
        self.log(self.now - timedelta(days=400), None, "user.create", "User", user["id"],
                 after={"email": email, "role": role}, label="command: bench")
        return user

    def initiatives(self) -> None:
        rnd, scale = self.rnd, self.scale
        mediator = self.users["bemiddelaar@demo.nl"]
        region_weights = [sum(self.insured[r["id"]].values()) for r in self.regions]
        by_region: dict[int, list[dict]] = {}
        for n in range(scale.initiatives):
            region = rnd.choices(self.regions, region_weights)[0]["id"]
            lead = rnd.choice(self.leads[region])
            created = self.now - timedelta(days=rnd.randint(30, 900), minutes=n)
            live = rnd.random() < scale.live_share
            status = (("in_mediation" if rnd.random() < 0.25 else "open") if live
                      else rnd.choices([s for s, _ in SETTLED], [w for _, w in SETTLED])[0])
            if live:
                created = self.now - timedelta(days=rnd.randint(3, 40), minutes=n)
            opened = None if status == "concept" else created + timedelta(days=rnd.randint(1, 20))
            earlier = [i for i in by_region.get(rnd.choice(self.regions)["id"], []) if i["region_id"] != region]
            adopted = earlier[-1] if earlier and rnd.random() < 0.2 else None
            start = created.date() + timedelta(days=60)
            running = status in RUNNING
            activated = opened + timedelta(days=rnd.randint(30, 60)) if running else None
            iid = self.new_id("initiatives")
            lead_user = self.staff[lead]
            initiative = self.add("initiatives", {
                "id": iid, "title": f"{'Overgenomen: ' if adopted else ''}Initiatief {n} ({region})",
                "description": "Synthetisch initiatief voor de benchmark.",
                "kind": "jzojp_intervention" if n % 3 else "innovation", "phase": "scale_up", "status": status,
                "region_id": region, "lead_insurer_id": lead, "market_share_set_id": None if opened is None
                else self.share_set, "opened_at": opened, "created_by_id": lead_user["id"],
                "adopted_from_id": adopted["id"] if adopted else None, "evidence_level": "practice",
                "term_start": start, "term_end": start + timedelta(days=rnd.choice([365, 730, 1095])),
                "activated_at": activated, "start_up_end": start + timedelta(days=365) if running else None,
                "ended_on": self.today - timedelta(days=rnd.randint(1, 30)) if status == "ended" else None,
                "end_outcome": "scale_down_executed" if status == "ended" else None,
                "replaces_existing_care": False, "created_at": created, "updated_at": created})
            by_region.setdefault(region, []).append(initiative)
            self.add("cost_lines", {"initiative_id": iid, "category": "staff", "description": "Personeel",
                                    "amount": Decimal(rnd.randint(20_000, 900_000)), "basis": "", "source": ""})
            if n % 2:
                self.add("cost_lines", {"initiative_id": iid, "category": "care", "description": "Beddagen",
                                        "amount": Decimal(rnd.randint(10_000, 300_000)) + Decimal("0.49"),
                                        "basis": "", "source": ""})
            providers = self.providers[region][:1 + n % 2]
            for provider in providers:
                self.add("initiative_providers", {"initiative_id": iid, "provider_id": provider, "role": ""})
            self.log(created, lead_user, "initiative.adopt" if adopted else "initiative.create", "Initiative", iid,
                     after={"title": initiative["title"], "status": "concept"})
            for k in range(rnd.randint(0, 3)):
                self.log(created + timedelta(hours=k + 1), lead_user, "initiative.update", "Initiative", iid,
                         after={"description": "bijgewerkt"})
            if opened is not None:
                self.log(opened, lead_user, "initiative.open", "Initiative", iid, before={"status": "concept"},
                         after={"status": "open"})
                self.requests(initiative, providers, mediator, live)
            if running:
                self.running += 1
                self.monitoring(initiative, providers, heavy=self.running % HEAVY == 1)

    def monitoring(self, initiative: dict, providers: list[int], heavy: bool) -> None:
        """A running initiative's goals with a baseline and periodic measurements, its evaluation
        calendar (done moments), evaluations (a final one once evaluated), a process log and documents."""
        rnd, iid, status = self.rnd, initiative["id"], initiative["status"]
        lead, provider = self.staff[initiative["lead_insurer_id"]], self.staff[providers[0]]
        start: date = initiative["term_start"]
        by_provider = {"organisation_id": provider["organisation_id"]}
        periodic = HEAVY_MEASUREMENTS if heavy else rnd.randint(2, 6)
        rows = HEAVY_ROWS if heavy else 1
        for g, (metric, unit, baseline, target) in enumerate((("Heropnames", "%", 18, 12),
                                                              ("Beddagen", "dagen", 2900, 1500))[:1 + iid % 2]):
            goal = self.new_id("smart_goals")
            self.add("smart_goals", {"id": goal, "initiative_id": iid, "metric": metric, "baseline": str(baseline),
                                     "target": str(target), "target_date": initiative["term_end"],
                                     "category": "capacity" if g else "quality", "unit": unit,
                                     "baseline_value": Decimal(baseline), "target_value": Decimal(target)})
            self.add("measurements", {"initiative_id": iid, "goal_id": goal, "kind": "baseline", "measured_on": start,
                                      "value": Decimal(baseline), "unit": unit, "source": "bench",
                                      "entered_by_id": provider["id"], "created_at": self.now, **by_provider})
            for k in range(periodic):
                step = (Decimal(target) - Decimal(baseline)) / Decimal(periodic + 2)
                value = Decimal(baseline) + step * (k + 1)
                self.add("measurements", {"initiative_id": iid, "goal_id": goal, "kind": "periodic",
                                          "measured_on": min(self.today, start + timedelta(days=7 * (k + 1))),
                                          "value": value.quantize(Decimal("0.0001")), "unit": unit, "source": "bench",
                                          "entered_by_id": provider["id"], "created_at": self.now, **by_provider})
        for k in range(rows):
            day = min(self.today, start + timedelta(days=30 * (k + 1)))
            moment = self.new_id("monitoring_moments")
            self.add("monitoring_moments", {"id": moment, "initiative_id": iid, "kind": "periodic", "due_on": day,
                                            "done_at": self.now, "created_at": self.now})
            final = status in ("evaluated", "extended", "ended") and k == rows - 1
            self.add("evaluations", {"initiative_id": iid, "moment_id": moment,
                                     "kind": "final" if final else "periodic",
                                     "verdict": rnd.choices([v for v, _ in VERDICTS], [w for _, w in VERDICTS])[0],
                                     "reasoning": "Synthetische evaluatie.", "recorded_by_id": lead["id"],
                                     "organisation_id": lead["organisation_id"], "created_at": self.now})
            self.add("process_log_entries", {"initiative_id": iid, "occurred_on": day, "kind": "agreement",
                                             "text": "Synthetische afspraak.", "author_id": provider["id"],
                                             "created_at": self.now, **by_provider})
            document = self.new_id("documents")
            self.add("documents", {"id": document, "initiative_id": iid, "kind": "evaluation_report",
                                   "title": f"Rapport {k}", "filename": f"rapport-{k}.csv", "content_type": "text/csv",
                                   "size_bytes": 4, "sha256": "0" * 64, "uploaded_by_id": provider["id"],
                                   "created_at": self.now, **by_provider})
            self.add("document_contents", {"document_id": document, "content": b"a;b\n"})
        if status != "ended":  # the final evaluation still to come
            self.add("monitoring_moments", {"id": self.new_id("monitoring_moments"), "initiative_id": iid,
                                            "kind": "final", "due_on": initiative["term_end"], "done_at": None,
                                            "created_at": self.now})

    def requests(self, initiative: dict, providers: list[int], mediator: dict, live: bool) -> None:
        rnd, status, iid = self.rnd, initiative["status"], initiative["id"]
        opened: datetime = initiative["opened_at"]
        deadline = (opened + timedelta(days=28)).date()
        if live:
            deadline = self.today + timedelta(days=rnd.randint(1, 25))
        insured = self.insured[initiative["region_id"]]
        insurers = [i for i, c in insured.items() if c and i != initiative["lead_insurer_id"]]
        mediation_done = False
        for insurer in sorted(insurers):
            rid = self.new_id("follow_requests")
            state = self._request_state(status, live, mediation_done)
            request = self.add("follow_requests", {
                "id": rid, "kind": "follow", "initiative_id": iid, "insurer_id": insurer, "state": state,
                "deadline": deadline if state != "overdue" else self.today - timedelta(days=rnd.randint(1, 20)),
                "insured": self.insured[initiative["region_id"]][insurer], "impact_description": "",
                "evidence_url": "", "created_at": opened,
                "closed_at": opened + timedelta(days=28) if state == "closed" else None})
            if state in ("decided", "closed") or (state == "cancelled" and rnd.random() < 0.5):
                kind = self.decisions(initiative, request)
                if state == "closed":
                    self.log(request["closed_at"], None, "follow_request.closed", "FollowRequest", rid,
                             before={"state": "decided"}, after={"state": "closed"})
                    if kind == "decline" and rnd.random() < 0.3:
                        self.adoption_request(initiative, insurer, providers)
            if state == "overdue":
                mediation_done = True
                self.log(datetime.combine(request["deadline"], datetime.min.time(), UTC), None,
                         "follow_request.overdue", "FollowRequest", rid, before={"state": "open"},
                         after={"state": "overdue"})
                self.case(initiative, rid, mediator, "deadline_passed", live=True)
            elif state == "closed" and status == "partially_funded" and rnd.random() < 0.04:
                self.case(initiative, rid, mediator, "insufficient_decline", live=False)

    def _request_state(self, status: str, live: bool, mediation_done: bool) -> str:
        """A follow request's state by its initiative's status; the first of one in mediation is overdue."""
        if status == "withdrawn":
            state = "cancelled"
        elif live:
            state = self.rnd.choice(["open", "open", "decided"])
        else:
            state = "closed"
        if status == "in_mediation" and not mediation_done:
            state = "overdue"
        return state

    def decisions(self, initiative: dict, request: dict) -> str:
        """The insurer's decision on `request`, a quarter of them in two versions; the standing one's kind."""
        rnd, rid, opened = self.rnd, request["id"], initiative["opened_at"]
        insurer_user = self.staff[request["insurer_id"]]
        versions = 2 if rnd.random() < 0.25 else 1
        kind = ""
        for v in range(1, versions + 1):
            kind = "follow" if (initiative["status"] == "fully_funded" or rnd.random() < 0.7) else "decline"
            when = opened + timedelta(days=rnd.randint(1, 20), hours=v)
            did = self.new_id("decisions")
            weighty = None if kind == "follow" else rnd.random() < 0.8
            self.add("decisions", {"id": did, "follow_request_id": rid, "version": v, "kind": kind,
                                   "standing": v == versions, "conditions": "", "score": None if
                                   weighty is None else (70 if weighty else 30), "threshold": None if
                                   weighty is None else 50, "weighty": weighty,
                                   "decided_by_id": insurer_user["id"], "decided_at": when})
            if kind == "decline":
                self.add("decision_arguments", {"decision_id": did, "criterion_id": self.criterion["id"],
                                                "criterion_name": self.criterion["name"],
                                                "weight": self.criterion["weight"], "strength": 2,
                                                "explanation": "Onvoldoende bewezen in onze populatie.",
                                                "evidence_url": ""})
            self.log(when, insurer_user, "decision.record", "FollowRequest", rid,
                     after={"kind": kind, "version": v})
        return kind

    def adoption_request(self, initiative: dict, insurer: int, providers: list[int]) -> None:
        rid = self.new_id("follow_requests")
        provider_user = self.staff[providers[0]]
        state = self.rnd.choice(["open", "closed", "closed"])
        self.add("follow_requests", {
            "id": rid, "kind": "adoption", "initiative_id": initiative["id"], "insurer_id": insurer, "state": state,
            "deadline": self.today + timedelta(days=self.rnd.randint(1, 25)) if state == "open"
            else initiative["opened_at"].date() + timedelta(days=90),
            "insured": self.insured[initiative["region_id"]][insurer], "requesting_provider_id": providers[0],
            "requested_by_id": provider_user["id"], "impact_description": "Minder opnames.", "impact_volume": 40,
            "impact_unit": "patients", "evidence_url": "", "created_at": initiative["opened_at"] + timedelta(days=60),
            "closed_at": None})
        self.log(initiative["opened_at"] + timedelta(days=60), provider_user, "adoption_request.create",
                 "FollowRequest", rid, after={"insurer_id": insurer})

    def case(self, initiative: dict, request_id: int, mediator: dict, reason: str, live: bool) -> None:
        cid = self.new_id("mediation_cases")
        opened = self.now - timedelta(days=self.rnd.randint(1, 60))
        state = self.rnd.choice(["open", "in_progress", "in_progress"]) if live else "closed"
        self.add("mediation_cases", {
            "id": cid, "initiative_id": initiative["id"], "follow_request_id": request_id, "reason": reason,
            "statement": "", "state": state, "opened_by_id": None, "opened_at": opened,
            "mediator_id": mediator["id"] if state != "open" else None, "finding_reasoning": "",
            "finding": "decline_upheld" if state == "closed" else None,
            "closed_at": opened + timedelta(days=20) if state == "closed" else None})
        self.log(opened, None, "mediation.open", "MediationCase", cid, after={"reason": reason})
        if state != "open":
            self.log(opened + timedelta(hours=2), mediator, "mediation.take", "MediationCase", cid)
            self.add("mediation_statements", {
                "case_id": cid, "party_id": initiative["lead_insurer_id"], "question": "Uw zienswijze graag.",
                "deadline": self.today + timedelta(days=self.rnd.randint(-5, 20)), "requested_by_id": mediator["id"],
                "requested_at": opened + timedelta(hours=3)})
            self.log(opened + timedelta(hours=3), mediator, "mediation.statement_request", "MediationCase", cid)
        if state == "closed":
            self.log(opened + timedelta(days=20), mediator, "mediation.close", "MediationCase", cid,
                     after={"finding": "decline_upheld"})

    def notifications(self) -> None:
        """The users who see most have the most notifications: every insurer's and provider's first user."""
        rnd = self.rnd
        heavy = [self.staff[i]["id"] for i in self.insurers] + [self.users["bemiddelaar@demo.nl"]["id"],
                                                                self.users["ziekenhuis@demo.nl"]["id"]]
        for user_id in heavy:
            for n in range(self.scale.notifications_per_user):
                created = self.now - timedelta(minutes=7 * n + rnd.randint(0, 6))
                self.add("notifications", {"user_id": user_id, "kind": "decision.recorded",
                                           "message": f"Er is een besluit vastgelegd ({n}).",
                                           "link": "/initiatieven/", "created_at": created,
                                           "read_at": None if n < 30 else created + timedelta(hours=1)})

    def pad_audit(self) -> None:
        """Log-ins, log-outs and 'read' marks fill the trail up to its size, spread over the users."""
        rnd = self.rnd
        users = list(self.staff.values())
        missing = self.scale.audit_entries - len(self.audit)
        start = self.now - timedelta(days=900)
        step = timedelta(days=900) / max(missing, 1)
        for n in range(max(missing, 0)):
            user = users[n % len(users)]
            action = ("user.login", "notifications.read", "user.logout")[n % 3]
            self.log(start + step * n + timedelta(microseconds=rnd.randint(0, 999)), user, action, "User",
                     user["id"])

    # -- writing --------------------------------------------------------------------------------

    def chain(self, conn) -> list[dict]:
        """The audit entries in time order, each linked to the one before with the project's keyed hash."""
        from innovatieregister.domain.audit_chain import KEYED, keyed_hash
        from innovatieregister.models import AuditEntry
        from innovatieregister.services.audit import keyring

        table = AuditEntry.__table__
        last = conn.execute(sa.select(table.c.seq, table.c.entry_hash).order_by(table.c.seq.desc()).limit(1)).first()
        seq, prev = (last.seq, last.entry_hash) if last else (0, "0" * 64)
        keys = keyring()
        key, key_id = keys.current, keys.current_id
        self.audit.sort(key=lambda e: e["occurred_at"])
        for entry in self.audit:
            seq += 1
            entry["seq"] = seq
            entry["entry_hash"] = keyed_hash(entry, prev, key, key_id)
            entry.update(prev_hash=prev, chain_version=KEYED, key_id=key_id)
            prev = entry["entry_hash"]
        return self.audit

    def write(self) -> dict[str, int]:
        from innovatieregister import models as m
        from innovatieregister.extensions import db

        tables = {"organisations": m.Organisation, "users": m.User, "initiatives": m.Initiative,
                  "cost_lines": m.CostLine, "initiative_providers": m.InitiativeProvider,
                  "follow_requests": m.FollowRequest, "decisions": m.Decision,
                  "decision_arguments": m.DecisionArgument, "mediation_cases": m.MediationCase,
                  "mediation_statements": m.StatementRequest, "notifications": m.Notification,
                  "smart_goals": m.SmartGoal, "measurements": m.Measurement,
                  "monitoring_moments": m.MonitoringMoment, "evaluations": m.Evaluation,
                  "process_log_entries": m.ProcessLogEntry, "documents": m.Document,
                  "document_contents": m.DocumentContent}
        counts = {}
        with db.engine.begin() as conn:
            for name, model in tables.items():
                rows = self.rows.get(name, [])
                _insert(conn, model.__table__, rows)
                counts[name] = len(rows)
            audit = self.chain(conn)
            _insert(conn, m.AuditEntry.__table__, audit)
            counts["audit_entries"] = len(audit)
            # Bulk inserts pass no flush: the registry's stored spread, first decisions and committed
            # parts, as the app keeps them.
            from innovatieregister.services import committed, decision_times
            from innovatieregister.services.spread import recount
            recount(connection=conn)
            decision_times.recompute(connection=conn)
            committed.recompute(connection=conn)
            if conn.dialect.name == "postgresql":
                for name in self.models():
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                                         f"(SELECT max(id) FROM {name}))")
        analyze()
        return counts


def analyze() -> None:
    """PostgreSQL: statistics for the planner, as autovacuum would gather them after a bulk load
    (SQLite keeps none unless asked, and a production SQLite file is never asked)."""
    from innovatieregister.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def build(app, scale: Scale, seed: int = 2026) -> dict[str, int]:
    """Add the synthetic registry to the demo in the app's database; return the rows per table."""
    from innovatieregister.extensions import db
    from innovatieregister.models import ArgumentCriterion

    started = time.perf_counter()
    builder = Builder(app, scale, seed)
    with app.app_context():
        with db.engine.connect() as conn:
            builder.read_reference(conn)
            c = ArgumentCriterion.__table__
            builder.criterion = conn.execute(sa.select(c.c.id, c.c.name, c.c.weight).order_by(c.c.id)).first()._asdict()
        builder.people()
        builder.initiatives()
        builder.notifications()
        builder.pad_audit()
        counts = builder.write()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def open_requests_registry(app, requests: int, overdue: int, reminders: int, seed: int = 2026) -> None:
    """The scheduler's worst day: `requests` open follow requests, of which `overdue` passed their
    deadline and `reminders` fall within the reminder horizon; the rest are weeks away."""
    from innovatieregister import models as m
    from innovatieregister.domain.calendar import add_working_days, dutch_date
    from innovatieregister.extensions import db

    builder = Builder(app, SCALES["small"], seed)
    rnd = builder.rnd
    with app.app_context():
        with db.engine.connect() as conn:
            builder.read_reference(conn)
        builder.people()
        today = dutch_date(builder.now)
        horizon = add_working_days(today, app.config["REMINDER_WORKING_DAYS_BEFORE"])
        far = horizon + timedelta(days=30)
        regions = [r["id"] for r in builder.regions]
        made = 0
        while made < requests:
            region = regions[made % len(regions)]
            lead = builder.leads[region][0]
            iid = builder.new_id("initiatives")
            builder.add("initiatives", {
                "id": iid, "title": f"Open initiatief {iid}", "description": "", "kind": "innovation",
                "phase": "scale_up", "status": "open", "region_id": region, "lead_insurer_id": lead,
                "market_share_set_id": builder.share_set, "opened_at": builder.now, "evidence_level": "none",
                "replaces_existing_care": False, "created_at": builder.now, "updated_at": builder.now})
            for insurer, count in sorted(builder.insured[region].items()):
                if insurer == lead or not count or made >= requests:
                    continue
                if made < overdue:
                    deadline = today - timedelta(days=rnd.randint(1, 10))
                elif made < overdue + reminders:
                    deadline = today + timedelta(days=rnd.randint(0, (horizon - today).days))
                else:
                    deadline = far + timedelta(days=rnd.randint(0, 60))
                builder.add("follow_requests", {
                    "id": builder.new_id("follow_requests"), "kind": "follow", "initiative_id": iid,
                    "insurer_id": insurer, "state": "open", "deadline": deadline, "insured": count,
                    "impact_description": "", "evidence_url": "", "created_at": builder.now})
                made += 1
        with db.engine.begin() as conn:
            for name, model in (("organisations", m.Organisation), ("users", m.User),
                                ("initiatives", m.Initiative), ("follow_requests", m.FollowRequest)):
                _insert(conn, model.__table__, builder.rows.get(name, []))
            _insert(conn, m.AuditEntry.__table__, builder.chain(conn))
            if conn.dialect.name == "postgresql":
                for name in ("organisations", "users", "initiatives", "follow_requests"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                                         f"(SELECT max(id) FROM {name}))")
        analyze()

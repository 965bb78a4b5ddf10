"""Reading the audit trail: verifying the chain, signed checkpoints of its head, and timelines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from innovatieregister import clock, labels
from innovatieregister.domain.audit_chain import Checkpoint, Verdict, checkpoint_is_authentic, sign_checkpoint, verify
from innovatieregister.extensions import db
from innovatieregister.models import ArgumentCriterion, AuditEntry, Organisation, Region, User
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services.audit import keyring


def _in_order(batch: int = 5000) -> Iterator[sa.RowMapping]:
    """Every entry in seq order as plain rows (no ORM objects: the trail may hold millions)."""
    table = AuditEntry.__table__
    last_seq = 0
    while True:
        rows = db.session.execute(sa.select(table).where(table.c.seq > last_seq)
                                  .order_by(table.c.seq).limit(batch)).mappings().all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1]["seq"]


def verify_chain(checkpoints: list[Checkpoint] | None = None) -> Verdict:
    """Check the whole chain, and that it still reaches the latest checkpoint's head and count
    (the earlier ones narrow down where a rewritten chain starts to differ)."""
    checkpoints = checkpoints or []
    latest = max(checkpoints, key=lambda c: (c.head_seq, c.made_at), default=None)
    return verify(_in_order(), keyring(), latest, [c for c in checkpoints if c is not latest])


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted: unreadable, or its signature does not hold."""


def checkpoint_folder() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-checkpoints"


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        data = json.loads(path.read_text("utf-8"))
        checkpoint = Checkpoint(
            count=int(data["count"]), head_seq=int(data["head_seq"]), head_hash=str(data["head_hash"]),
            made_at=datetime.fromisoformat(str(data["made_at"]).replace("Z", "+00:00")),
            key_id=str(data["key_id"]), signature=str(data["signature"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"controlepunt {path} is onleesbaar ({error})") from error
    if not checkpoint_is_authentic(checkpoint, keyring()):
        raise CheckpointError(f"controlepunt {path} is niet echt: de handtekening klopt niet"
                              " (vervalst, gewijzigd of met een onbekende sleutel gemaakt)")
    return checkpoint


def all_checkpoints(folder: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the folder; each file in it must be authentic."""
    folder = folder or checkpoint_folder()
    return [read_checkpoint(path) for path in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def make_checkpoint(target: Path | None = None) -> tuple[Verdict, Checkpoint | None, Path | None]:
    """Verify the chain against the latest checkpoint and, only when nothing is wrong, sign its
    head into a new file (in `target`, a folder or a .json file; default the checkpoint folder).

    Signing a damaged chain would make the damage look legitimate, so that is refused."""
    folder = target if target is not None and target.suffix != ".json" else checkpoint_folder()
    verdict = verify_chain(all_checkpoints(folder))
    if verdict.problems:
        return verdict, None, None
    checkpoint = sign_checkpoint(verdict.count, verdict.head_seq, verdict.head_hash, clock.now(), keyring())
    path = target if target is not None and target.suffix == ".json" else folder / (
        f"audit-checkpoint-{checkpoint.head_seq:010d}-{checkpoint.made_at:%Y%m%dT%H%M%S%fZ}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(checkpoint.as_dict(), indent=2) + "\n", "utf-8")
    return verdict, checkpoint, path


def timeline(object_refs: list[tuple[str, list[int]]], hidden_actions=frozenset(), *, also=(), page: int = 1,
             per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The entries about these objects, oldest first, e.g. [("Initiative", [7]), ("FollowRequest", [3, 4])],
    without the actions the viewer may not see (visibility.hidden_audit_actions) and only those
    meeting the clauses `also` (visibility's, asked in SQL so every page is full); one page."""
    clauses = [sa.and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_([str(i) for i in ids]))
               for kind, ids in object_refs if ids]
    if not clauses:
        return Page([], 1, per_page, 0)
    query = sa.select(AuditEntry).where(sa.or_(*clauses), *also)
    if hidden_actions:
        query = query.where(AuditEntry.action.notin_(list(hidden_actions)))
    # A timeline's few entries are found through ix_audit_entries_object, then sorted (paginate by_filter).
    return paginate(query, page, per_page, order=(AuditEntry.seq,), cursor=cursor, by_filter=True)


def initiative_timeline(user: User, view, *, page: int = 1, per_page: int = PER_PAGE,
                        cursor: Cursor | None = None) -> Page:
    """The timeline of an initiative as `user` may see it (`view`: initiatives.timeline_view). Only the
    requests whose decisions the viewer may see: the timeline never leaks them. Nor, to whoever
    may not learn of it, that a mediation runs or ran (visibility.shown_status)."""
    from innovatieregister import visibility

    return timeline([
        ("Initiative", [view.initiative.id]),
        ("FollowRequest", view.visible_request_ids),
    ], hidden_actions=visibility.hidden_audit_actions(user),
        also=() if view.sees_mediation else (sa.not_(visibility.reveals_mediation_clause()),),
        page=page, per_page=per_page, cursor=cursor)


def case_timeline(user: User, view, *, page: int = 1, per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The timeline of a mediation case as `user` may see it (`view`: mediation.case_view, which
    keeps the statements the user may see); the request's own entries for the mediator only."""
    from innovatieregister import policies, visibility

    refs = [("MediationCase", [view.case.id])]
    if policies.is_mediator(user) and view.case.follow_request_id:
        refs.append(("FollowRequest", [view.case.follow_request_id]))
    return timeline(refs, hidden_actions=visibility.hidden_audit_actions(user),
                    also=(visibility.case_entry_clause({s.id for s in view.statements}),),
                    page=page, per_page=per_page, cursor=cursor)


@dataclass(frozen=True)
class Line:
    """One line of a timeline as a person reads it: Dutch, names instead of e-mail addresses, fields
    and values by their labels; `count` identical lines in a row are shown once."""

    occurred_at: datetime
    what: str
    who: str
    details: tuple[tuple[str, str], ...]
    count: int = 1


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _names(entries: list[AuditEntry]) -> dict[str, str]:
    """The names of the criteria, organisations and regions the entries name by code (one query)."""
    codes = {text for e in entries for text in _strings([e.before, e.after]) if 0 < len(text) <= 60}
    if not codes:
        return {}
    named = sa.union_all(*(sa.select(model.code, model.name).where(model.code.in_(codes))
                           for model in (Organisation, ArgumentCriterion, Region)))
    return dict(db.session.execute(named).all())


def lines(entries: list[AuditEntry], details: bool = True) -> list[Line]:
    """The entries of a timeline page as lines: who by name and organisation (a job or command as
    'Systeem (…)'), what as a sentence, changed fields as 'before → after' in words."""
    user_ids = {e.actor_user_id for e in entries if e.actor_user_id}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    names = _names(entries) if details else {}
    result: list[Line] = []
    for e in entries:
        user = users.get(e.actor_user_id) if e.actor_user_id else None
        who = _("%(name)s namens %(organisation)s", name=user.name, organisation=user.organisation.name) if user \
            else labels.system_actor(e.actor_label)
        shown: list[tuple[str, str]] = []
        for key, after in (e.after or {}).items() if details else ():
            text = labels.value(key, after, e.object_type, names)
            if e.before and key in e.before and e.before[key] != after:
                text = f"{labels.value(key, e.before[key], e.object_type, names)} → {text}"
            shown.append((labels.field(key), text))
        line = Line(e.occurred_at, labels.audit_action(e.action), who, tuple(shown))
        previous = result[-1] if result else None
        if previous and (previous.what, previous.who, previous.details) == (line.what, line.who, line.details) \
                and previous.occurred_at.replace(second=0, microsecond=0) == line.occurred_at.replace(
                    second=0, microsecond=0):
            result[-1] = replace(previous, count=previous.count + 1)
        else:
            result.append(line)
    return result

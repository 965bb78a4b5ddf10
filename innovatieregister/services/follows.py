"""Following an initiative (issue 12): any logged-in user keeps track of an initiative in the
register (typically one from another region, by an insurer that considers adopting it) and is told
of its status changes and evaluations, in the app and, by preference, by e-mail.

Each state change and each evaluation is one audit entry, written in the transaction that makes
it; audit.record hands every entry about an initiative to `tell_followers`. A follower is told
once per entry: the (user, entry) pair is claimed under a unique key in the same transaction as
the notification, so an entry handed over twice, or a job that runs again, tells nobody twice.
A follower is told only what the register shows them (visibility.py): the status as they may see
it (a mediation hidden from them is no news) and the evaluation's kind and verdict.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from innovatieregister import clock, visibility
from innovatieregister.domain.monitoring import LABELS as MONITORING_LABELS
from innovatieregister.domain.monitoring import MeasurementKind, Verdict
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import STATE_LABELS, InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import AuditEntry, Follow, FollowNotice, FollowRequest, Initiative, User
from innovatieregister.models.base import utcnow
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.notifications import Said, notify_users

KIND = "initiative.followed"  # the notification kind: its e-mail is a setting on the profile page
EVALUATION_ACTION = "initiative.evaluation"


def _followable(user: User, initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not visibility.sees_register_entry(user, initiative):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative


def follow(user: User, initiative_id: int) -> bool:
    """Follow an initiative the user may see in the register; True when newly followed (following
    again changes nothing: the unique key, not a check, keeps it to one)."""
    with write_transaction():
        initiative = _followable(user, initiative_id)
        inserted = db.session.execute(
            _insert(Follow).values(user_id=user.id, initiative_id=initiative.id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "initiative_id"])
            .returning(Follow.__table__.c.id)).first()
        if inserted is not None:
            record(Actor(user=user), "initiative.follow", (Follow.__name__, inserted.id),
                   after={"initiative": initiative.id})
    return inserted is not None


def unfollow(user: User, initiative_id: int) -> bool:
    """Stop following; True when the user followed it (not following is no error)."""
    with write_transaction():
        initiative = _followable(user, initiative_id)
        followed = db.session.scalar(sa.select(Follow).where(Follow.user_id == user.id,
                                                             Follow.initiative_id == initiative.id))
        if followed is not None:
            db.session.delete(followed)
            db.session.flush()
            record(Actor(user=user), "initiative.unfollow", followed, before={"initiative": initiative.id})
    return followed is not None


def follows(user: User, initiative_id: int) -> bool:
    return db.session.execute(sa.select(sa.exists().where(Follow.user_id == user.id,
                                                          Follow.initiative_id == initiative_id))).scalar_one()


def followed_by(user: User, today: date, page: int = 1, per_page: int = PER_PAGE,
                cursor: Cursor | None = None) -> Page:
    """The initiatives the user follows, most recently followed first, one page (items are
    Follow, with their initiative); `statuses` as the user may see them."""
    result = paginate(sa.select(Follow).where(Follow.user_id == user.id)
                      .options(joinedload(Follow.initiative).joinedload(Initiative.region),
                               joinedload(Follow.initiative).joinedload(Initiative.lead_insurer)),
                      page, per_page, order=(Follow.id,), descending=True, cursor=cursor)
    ids = [f.initiative_id for f in result.items]
    if ids:
        result.statuses = dict(db.session.execute(
            sa.select(Initiative.id, visibility.status_column(user, today)).where(Initiative.id.in_(ids))).all())
    return result


# Telling the followers ---------------------------------------------------------------------------

def _insert(model):
    return (pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert)(model.__table__)


def _status_change(entry: AuditEntry) -> tuple[InitiativeState, InitiativeState] | None:
    before, after = (entry.before or {}).get("status"), (entry.after or {}).get("status")
    if before is None or after is None or before == after:
        return None
    return InitiativeState(before), InitiativeState(after)


def tell_followers(entry: AuditEntry) -> int:
    """Tell the followers of the initiative `entry` is about of its status change or evaluation,
    each at most once (see the module's docstring); in the caller's transaction. Returns how many
    were told now."""
    change = _status_change(entry)
    evaluated = entry.action == EVALUATION_ACTION
    if change is None and not evaluated:
        return 0
    followers = db.session.scalars(
        sa.select(User).join(Follow, Follow.user_id == User.id)
        .where(Follow.initiative_id == int(entry.object_id), User.active.is_(True)).order_by(User.id)).all()
    if not followers:
        return 0
    initiative = db.session.get_one(Initiative, int(entry.object_id))
    requests = db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative.id)).all()
    today = clock.today()
    messages: dict[Said, list[int]] = {}
    for user in followers:
        if not visibility.sees_register_entry(user, initiative):
            continue
        own = visibility.own_follow_request(user, requests)
        news = []
        if change is not None:
            shown_before = visibility.shown_status_before(user, initiative, change[0], own, today)
            shown_after = visibility.shown_status(user, initiative, own, today)
            if shown_before != shown_after:  # a mediation hidden from them is no news
                news.append(Said(N_("de status is nu '%(status)s'"),
                                 status=Said(STATE_LABELS[InitiativeState].raw(shown_after), lower=True)))
        if evaluated:
            after = entry.after or {}  # an evaluation's entry has one
            kind, verdict = MeasurementKind(after["kind"]), Verdict(after["verdict"])
            news.append(Said(N_("er is een evaluatie vastgelegd (%(kind)s: %(verdict)s)"),
                             kind=Said(MONITORING_LABELS.raw(kind), lower=True),
                             verdict=Said(MONITORING_LABELS.raw(verdict), lower=True)))
        if news:
            # Said in each follower's language when written (services/notifications.py).
            message = Said(N_("'%(title)s', dat u volgt: %(news)s."), title=initiative.title, news=tuple(news))
            messages.setdefault(message, []).append(user.id)
    told = 0
    for message, user_ids in messages.items():
        fresh = _claim(user_ids, entry.seq)
        told += notify_users(fresh, KIND, message, f"/register/{initiative.id}")
    return told


def _claim(user_ids: list[int], audit_seq: int) -> list[int]:
    """Claim (user, event) for these users; the ones not claimed before (by this or another process)."""
    rows = db.session.execute(
        _insert(FollowNotice).values([{"user_id": u, "audit_seq": audit_seq, "created_at": utcnow()}
                                      for u in user_ids])
        .on_conflict_do_nothing(index_elements=["user_id", "audit_seq"])
        .returning(FollowNotice.__table__.c.user_id)).all()
    claimed = {row.user_id for row in rows}
    return [u for u in user_ids if u in claimed]

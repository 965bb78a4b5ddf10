"""In-app notifications: written in the same transaction as the change they report.

Each is written in its recipient's language (issue 13), and so is its e-mail: a message given as
`Said` (the Dutch text marked for the catalogue and its values; the domain's `Phrase` too: anything
with a `msgid` and `values`) is said once per language among the recipients, under `i18n.speaking`,
and stored as that finished text. Stored finished rather than
translated at display, because the e-mail has to be finished when it is queued anyway, the API and
the list then show the very words the e-mail said, and a list page needs no catalogue work per row.
A plain `str` message is stored as it is (Dutch, as before).
"""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister import i18n
from innovatieregister.extensions import db
from innovatieregister.models import Notification, User
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate


class Said:
    """A text to be said in each reader's language: the Dutch msgid (marked with `N_` where it is
    written) and its named values. A value that is a Said or an enum member is said too (by its
    label), a date is written as the reader writes it; a tuple of them is joined with 'en'/'and';
    anything else is shown as it is (a title, a name).
    `lower`: in lower case, as a label is inside a sentence."""

    def __init__(self, msgid: str, lower: bool = False, **values: object):
        self.msgid, self.lower, self.values = msgid, lower, values

    def _key(self) -> tuple:
        return self.msgid, self.lower, tuple(sorted(self.values.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return i18n.said(self)


def said_in(message: str | Said, language: str | None) -> str:
    """The message as its reader reads it (a plain str as it is: Dutch, written before issue 13)."""
    if not hasattr(message, "msgid"):
        return message
    with i18n.speaking(language):
        return i18n.said(message)


def notify_organisations(organisation_ids, kind: str, message: str | Said, link: str = "") -> int:
    """One in-app notification for every active user of these organisations, and an e-mail
    in the outbox for those who want one, in the caller's transaction."""
    return notify_each([(organisation_ids, kind, message, link)])


def notify_each(messages: list[tuple]) -> int:
    """notify_organisations for each (organisation ids, kind, message, link), in this order: the
    users with their e-mail wish read once per kind, the notifications and the e-mails written in
    one statement each (the scheduler sends thousands of reminders in a pass)."""
    from innovatieregister.services.mail import enqueue_each, wants_email_clause

    wanted = {o for organisation_ids, _kind, _message, _link in messages for o in organisation_ids}
    if not wanted:
        return 0
    members: dict[tuple[str, int], list] = {}
    for kind in dict.fromkeys(kind for _ids, kind, _message, _link in messages):
        for user in db.session.execute(
                sa.select(User.id, User.email, User.organisation_id, User.language,
                          wants_email_clause(kind).label("wants_email"))
                .where(User.organisation_id.in_(wanted), User.active.is_(True)).order_by(User.id)):
            members.setdefault((kind, user.organisation_id), []).append(user)
    notifications, mails = [], []
    for organisation_ids, kind, message, link in messages:
        users = sorted((u for o in set(organisation_ids) for u in members.get((kind, o), [])), key=lambda u: u.id)
        texts = {lang: said_in(message, lang) for lang in {u.language for u in users}}
        notifications += [{"user_id": u.id, "kind": kind, "message": texts[u.language], "link": link}
                          for u in users]
        mails.append(([u for u in users if u.wants_email], kind, message, link))
    if notifications:
        db.session.execute(sa.insert(Notification), notifications)
        enqueue_each(mails)
    return len(notifications)


def _insert_notifications(user_ids: list[int], kind: str, message: str | Said, link: str) -> None:
    languages = dict(db.session.execute(sa.select(User.id, User.language).where(User.id.in_(user_ids))).all())
    texts = {lang: said_in(message, lang) for lang in set(languages.values())}
    db.session.execute(sa.insert(Notification), [
        {"user_id": user_id, "kind": kind, "message": texts[languages[user_id]], "link": link}
        for user_id in user_ids
    ])


def notify_users(user_ids, kind: str, message: str | Said, link: str = "") -> int:
    from innovatieregister.services.mail import enqueue, wants_email

    user_ids = list(dict.fromkeys(user_ids))
    if user_ids:
        _insert_notifications(user_ids, kind, message, link)
        enqueue(wants_email(user_ids, kind), kind, message, link)
    return len(user_ids)


# A count, not a counter column: every notify and every "mark read" would write the column,
# under the same concurrency as the rows; a count capped at UNREAD_CAP + 1 reads at most 100
# entries of ix_notifications_user_read, on every page, whatever the backlog.
UNREAD_CAP = 99  # the badge on every page says "99+" rather than count a backlog each time


def unread_count(user: User) -> int:
    """The user's unread notifications, at most UNREAD_CAP + 1 of them read (ix_notifications_user_read)."""
    return db.session.execute(sa.select(sa.func.count()).select_from(
        sa.select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .limit(UNREAD_CAP + 1).subquery())).scalar_one()


def page_of(user: User, page: int = 1, per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The user's notifications, newest first, one page (ix_notifications_user_created)."""
    return paginate(sa.select(Notification).where(Notification.user_id == user.id), page, per_page,
                    order=(Notification.created_at, Notification.id), descending=True, cursor=cursor)


def mark_all_read(user: User, now) -> int:
    """Mark this user's notifications read (their own rows only)."""
    from innovatieregister.services import write_transaction
    from innovatieregister.services.audit import Actor, record

    with write_transaction():
        ids = db.session.scalars(sa.select(Notification.id).where(
            Notification.user_id == user.id, Notification.read_at.is_(None))).all()
        if ids:
            db.session.execute(sa.update(Notification).where(Notification.id.in_(ids)).values(read_at=now))
            record(Actor(user=user), "notifications.read", user, after={"count": len(ids)})
    return len(ids)


def mark_read(user: User, notification_id: int, now) -> Notification:
    """Mark one of this user's notifications read; another user's is not found (NotFound)."""
    from flask_babel import gettext as _

    from innovatieregister.services import NotFound, write_transaction
    from innovatieregister.services.audit import Actor, record

    with write_transaction():
        notification = db.session.scalar(sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id))
        if notification is None:
            raise NotFound(_("Deze melding bestaat niet."))
        if notification.read_at is None:  # already read: nothing changes, nothing to audit
            notification.read_at = now
            record(Actor(user=user), "notifications.read", user, after={"count": 1, "notification": notification.id})
        return notification

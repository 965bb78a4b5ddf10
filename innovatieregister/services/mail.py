"""E-mail through an outbox.

A notification that a user wants by e-mail becomes an OutboxMessage in the same transaction
as the change. A sender delivers due messages later: over SMTP when MAIL_SERVER is set,
otherwise into a folder (development). A failure is retried with exponential backoff; a
mail server that is down delays mail and loses none. Delivery is at least once: each
message carries a stable Message-ID so a receiver can recognise a repeat after a crash.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from innovatieregister import i18n, labels
from innovatieregister.extensions import db
from innovatieregister.models import NotificationPreference, OutboxMessage, User
from innovatieregister.services import write_transaction

MAX_BACKOFF = timedelta(hours=6)
# A message being sent is pushed this far ahead, so a second sender leaves it alone.
SENDING_LEASE = timedelta(minutes=5)
BATCH = 50

KIND_LABELS = labels.NOTIFICATION_KINDS  # the kinds a user may switch e-mail off for


def wants_email_clause(kind: str) -> sa.ColumnElement[bool]:
    """SQL: the user (User) has not opted out of e-mail for this kind (the default is yes)."""
    return ~sa.exists().where(NotificationPreference.user_id == User.id, NotificationPreference.kind == kind,
                              NotificationPreference.email.is_(False))


def wants_email(user_ids: list[int], kind: str) -> list[User]:
    """The active users among these who want e-mail for this kind (the default is yes)."""
    if not user_ids:
        return []
    return list(db.session.scalars(sa.select(User).where(User.id.in_(user_ids), User.active.is_(True),
                                                         wants_email_clause(kind))))


def enqueue(users: list[User], kind: str, message, link: str) -> None:
    """Queue one e-mail per user, in the caller's transaction."""
    enqueue_each([(users, kind, message, link)])


def enqueue_each(mails: list[tuple]) -> None:
    """enqueue for each (users, kind, message, link), in one statement; each e-mail in its
    recipient's language (a `notifications.Said` message too), written once per language."""
    from innovatieregister.services.notifications import said_in

    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    rows = []
    for users, kind, message, link in mails:
        written: dict[str, tuple[str, str]] = {}
        for u in users:
            if u.language not in written:
                with i18n.speaking(u.language):
                    written[u.language] = (
                        _("Innovatieregister: %(about)s", about=labels.notification_kind(kind)),
                        _("%(message)s\n\n%(link)s\n\n— Innovatieregister (instellingen: %(settings)s)\n",
                          message=said_in(message, u.language), link=f"{base}{link}", settings=f"{base}/profiel"))
            subject, body = written[u.language]
            rows.append({"to_address": u.email, "subject": subject, "body": body, "kind": kind})
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)


def set_preferences(user: User, email_kinds: set[str]) -> None:
    """Store which kinds this user wants by e-mail (in-app notifications always come)."""
    from innovatieregister.services.audit import Actor, record

    with write_transaction():
        existing = {p.kind: p for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
        for kind in KIND_LABELS:
            preference = existing.get(kind) or NotificationPreference(user_id=user.id, kind=kind)
            preference.email = kind in email_kinds
            db.session.add(preference)
        db.session.flush()
        record(Actor(user=user), "user.mail_preferences", user, after={"email": sorted(email_kinds)})


def preferences_of(user: User) -> dict[str, bool]:
    stored = dict(db.session.execute(sa.select(NotificationPreference.kind, NotificationPreference.email)
                                     .where(NotificationPreference.user_id == user.id)).all())
    return {kind: stored.get(kind, True) for kind in KIND_LABELS}


# Delivery ----------------------------------------------------------------------------------------

class FolderTransport:
    """Development: every message becomes an .eml file in a folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(message))


class SmtpTransport:
    def __init__(self, config):
        self.config = config

    def send(self, message: EmailMessage) -> None:
        c = self.config
        with smtplib.SMTP(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c.get("MAIL_TIMEOUT", 10)) as smtp:
            if c["MAIL_USE_TLS"]:
                smtp.starttls()
            if c["MAIL_USERNAME"]:
                smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
            smtp.send_message(message)


def transport():
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return FolderTransport(Path(config.get("MAIL_FOLDER") or Path(current_app.instance_path) / "mail"))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def deliver_due(now: datetime, via=None) -> DeliveryReport:
    """Send what is due. Each message is claimed in a short transaction, sent outside any
    transaction (the database is never locked while a mail server thinks), then marked."""
    via = via or transport()
    report = DeliveryReport()
    with write_transaction():
        due = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(BATCH).with_for_update(skip_locked=True)).all()
        claimed = [(m.id, m.to_address, m.subject, m.body) for m in due]
        for message in due:
            message.next_attempt_at = now + SENDING_LEASE
    sender = current_app.config["MAIL_FROM"]
    for message_id, to, subject, body in claimed:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = sender, to, subject
        email["Message-ID"] = f"<outbox-{message_id}@innovatieregister>"
        email.set_content(body)
        try:
            via.send(email)
        except (OSError, smtplib.SMTPException) as error:
            with write_transaction():
                message = db.session.get_one(OutboxMessage, message_id)
                message.attempts += 1
                message.next_attempt_at = now + backoff(message.attempts)
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
            report.failed += 1
        else:
            with write_transaction():
                message = db.session.get_one(OutboxMessage, message_id)
                message.attempts += 1
                message.sent_at = now
            report.sent += 1
    return report

"""The caller's own notifications through the API (issue 14): the list with the unread count, and
marking one or all read — the same services as the web's notification page."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock
from innovatieregister.api import bp
from innovatieregister.api.schema import Out, PageQuery, listing, operation, page_of, query, responses
from innovatieregister.policies import allow, any_user
from innovatieregister.services import notifications
from innovatieregister.services.notifications import UNREAD_CAP


class Notification(Out):
    id: int
    kind: str
    message: str = Field(description="in the recipient's language, as its e-mail said it")
    link: str = Field(description="the page of the web UI it is about")
    created_at: datetime
    read_at: datetime | None


_UNREAD = Field(ge=0, le=UNREAD_CAP + 1, description=f"unread notifications; {UNREAD_CAP + 1} means more than "
                                                     f"{UNREAD_CAP}")


class Notifications(page_of(Notification)):  # type: ignore[misc]
    unread: int = _UNREAD


class MarkedRead(Out):
    marked: int = Field(ge=0, description="how many were unread and are now read")
    unread: int = _UNREAD


def _notification(n) -> dict:
    return {"id": n.id, "kind": n.kind, "message": n.message, "link": n.link, "created_at": n.created_at,
            "read_at": n.read_at}


@bp.route("/notifications")
@allow(any_user)
@operation(query=PageQuery, resp=responses(Notifications))
def list_notifications():
    """Mijn meldingen, de nieuwste eerst, met het aantal ongelezen"""
    args: PageQuery = query()
    page = notifications.page_of(current_user, **args.paging())
    return {**listing(page, [_notification(n) for n in page.items]),
            "unread": notifications.unread_count(current_user)}


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Notification))
def read_notification(notification_id: int):
    """Markeer één eigen melding als gelezen"""
    return _notification(notifications.mark_read(current_user, notification_id, clock.now()))


@bp.route("/notifications/read", methods=["POST"])
@allow(any_user)
@operation(resp=responses(MarkedRead))
def read_all_notifications():
    """Markeer alle eigen meldingen als gelezen"""
    marked = notifications.mark_all_read(current_user, clock.now())
    return {"marked": marked, "unread": notifications.unread_count(current_user)}

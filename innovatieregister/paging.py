"""One page of a list: every list a page shows or the API returns is read a page at a time.

Deep lists are read by keyset: the links to the next and the previous page carry the sort
key of the row they continue from (a cursor), so a page deep in the list reads just its own
rows through the index that serves the order, never the rows before it, and the links go on
past the count. A page asked for by number (the first page, or a number typed in) is read by
OFFSET, which goes no deeper than the count: the total comes from a count capped at
COUNT_CAP (past it the page says "meer dan 1.000" instead of counting a national registry
through the visibility clause on every request), and a page past the count is empty without
a query.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import request, url_for

from innovatieregister import limits
from innovatieregister.extensions import db

COUNT_CAP = 1_000
PER_PAGE = 25  # a web list's page
PREVIEW = 5  # the first few items of a list on the dashboard
CURSOR_MAX = 200  # characters of a cursor: a few keys, base64


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page starts: after the row with these sort keys, or, going back, before it."""

    keys: tuple
    backwards: bool = False


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False  # the total is a lower bound: there are more than `total`
    statuses: dict = field(default_factory=dict)  # per initiative id, its status as the viewer may see it
    next_cursor: str | None = None  # the keyset links' cursors (None: link by page number)
    previous_cursor: str | None = None
    more: bool | None = None  # a keyset read saw a row past the page (None: judge by the total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.more if self.more is not None else self.page < self.pages

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def beyond(self) -> bool:
        """Past the last row counted: nothing to read by number (a keyset link reads on)."""
        return self.offset >= self.total


def clamp(page: int, per_page: int) -> tuple[int, int]:
    return min(max(1, page), limits.PAGE_MAX), min(max(1, per_page), limits.PER_PAGE_MAX)


def _counting(query: sa.Select, cap: int) -> sa.Select:
    """A select of the number of rows of `query`, reading at most cap + 1 of them."""
    rows: sa.Select[Any] = query.with_only_columns(sa.literal_column("1"), maintain_column_froms=True).order_by(None)
    return sa.select(sa.func.count()).select_from(rows.limit(cap + 1).subquery())


def capped_count(query: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows `query` has, reading at most cap + 1 of them: (count, more than cap?)."""
    n = db.session.execute(_counting(query, cap)).scalar_one()
    return min(n, cap), n > cap


def capped_counts(queries: list[sa.Select], cap: int = COUNT_CAP) -> list[tuple[int, bool]]:
    """capped_count of each of `queries`, all in one statement."""
    if not queries:
        return []
    row = db.session.execute(sa.select(*(_counting(q, cap).scalar_subquery() for q in queries))).one()
    return [(min(n, cap), n > cap) for n in row]


def counted(query: sa.Select, page: int, per_page: int) -> Page:
    """An empty page of `query` with its capped total, to be filled with the rows of its offset.
    `query` may be a cheaper select of the same rows than the one the page reads (paginate's `count`)."""
    page, per_page = clamp(page, per_page)
    total, capped = capped_count(query)
    return Page([], page, per_page, total, capped)


def narrowed(query: sa.Select, order, sort, limit: int, offset: int | None = None,
             rows: sa.Select | None = None) -> sa.Select:
    """`query` limited to the keys of its page: those are chosen first on the unique last order
    column alone, so that the eager loads' joins and wide columns are read for the page's rows
    only, not for every row a sort has to see. `rows`: what is read of them, when it is more than
    `query` (columns a join adds that need not be sorted)."""
    key = order[-1]
    keys = query.with_only_columns(key, maintain_column_froms=True).order_by(*sort).limit(limit)
    if offset:
        keys = keys.offset(offset)
    return (query if rows is None else rows).where(key.in_(keys)).order_by(*sort)


# Cursors ---------------------------------------------------------------------------------------

def encode(keys) -> str:
    plain = [k.isoformat() if isinstance(k, date | datetime) else k for k in keys]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(token: str | None, backwards: bool = False) -> Cursor | None:
    """A cursor from a link; None for anything that is not one (a list of numbers and texts)."""
    if not token or len(token) > CURSOR_MAX:
        return None
    try:
        keys = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(keys, list) or not all(isinstance(k, int | str) and not isinstance(k, bool) for k in keys):
        return None
    return Cursor(tuple(keys), backwards)


def _typed(cursor: Cursor, order) -> tuple | None:
    """The cursor's keys as the order columns' types; None when they do not fit."""
    if len(cursor.keys) != len(order):
        return None
    typed: list[datetime | date | int | str] = []
    value: datetime | date | int | str
    try:
        for key, column in zip(cursor.keys, order, strict=True):
            kind = getattr(column.type, "impl_instance", column.type).python_type  # through UTCDateTime
            if kind is datetime:
                value = datetime.fromisoformat(key)
                if value.tzinfo is None:
                    return None
            elif kind is date:
                value = date.fromisoformat(key)
            elif kind is int:
                value = int(key)
                if not -limits.ID_MAX <= value <= limits.ID_MAX:
                    return None
            else:
                value = str(key)
            typed.append(value)
    except (TypeError, ValueError, NotImplementedError):
        return None
    return tuple(typed)


def paginate(query: sa.Select, page: int = 1, per_page: int = PER_PAGE, *, order=(), descending: bool = False,
             cursor: Cursor | None = None, count: sa.Select | None = None, narrow: bool = False,
             by_filter: bool = False) -> Page:
    """One page of a select of ORM objects in `order` (columns of the objects, the last one
    unique), all ascending or all `descending`. With a cursor, a keyset read from it; else
    the page by number (OFFSET, within the capped count). `count`: a cheaper select of the
    same rows to count; `narrow`: choose the page's keys before the eager loads (narrowed),
    for a query whose order is served by a sort rather than an index. `by_filter`: the filter
    is selective and indexed, the order's index is not to be walked (see _unindexed)."""
    sorted_by = [_unindexed(c) for c in order] if by_filter else list(order)
    result = counted(query if count is None else count, page, per_page)
    keys = _typed(cursor, order) if cursor is not None and order else None
    if keys is None or cursor is None:
        if not result.beyond:
            sort = [c.desc() for c in sorted_by] if descending else sorted_by
            if narrow and order:
                read = narrowed(query, order, sort, result.per_page + 1, result.offset)
            else:
                read = query.order_by(*sort).limit(result.per_page + 1).offset(result.offset)
            rows = list(db.session.scalars(read).unique())
            result.items, result.more = rows[:result.per_page], len(rows) > result.per_page
    else:
        # Going back reads the rows before the cursor in the reverse order, then turns them round.
        reverse = descending != cursor.backwards
        row = sa.tuple_(*order)
        bound = sa.tuple_(*(sa.literal(k, c.type) for k, c in zip(keys, order, strict=True)))
        sort = [c.desc() for c in sorted_by] if reverse else sorted_by
        after = query.where(row < bound if reverse else row > bound)
        read = (narrowed(after, order, sort, result.per_page + 1) if narrow
                else after.order_by(*sort).limit(result.per_page + 1))
        rows = list(db.session.scalars(read).unique())
        beyond = len(rows) > result.per_page
        rows = rows[:result.per_page]
        if cursor.backwards:
            rows.reverse()
            result.more = True
            result.page = max(1, result.page) if beyond else 1  # the first page reached: number it so
        else:
            result.more = beyond
        result.items = rows
    if order and result.items:
        def key(item):
            return encode(getattr(item, column.key) for column in order)

        result.next_cursor = key(result.items[-1]) if result.has_next else None
        result.previous_cursor = key(result.items[0]) if result.has_previous else None
    return result


def _unindexed(column):
    """`column` (an integer) as an ORDER BY no index holds: PostgreSQL otherwise may walk the
    column's index and test every row against a filter it misjudges, all 1,000,000 audit entries
    for an object's three (a timeline: 195 ms instead of 1 ms); sorting the few matches is cheap."""
    return column + 0


def page_url(number: int, after: str | None = None, before: str | None = None, parameter: str = "pagina") -> str:
    """This page's URL with another page number (and the keyset cursor to reach it), every
    other query parameter kept."""
    if request.endpoint is None:  # only a routed request has pages
        raise RuntimeError("page_url outside a routed request")
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict().items() if k not in ("na", "voor")}
    args[parameter] = number
    if after:
        args["na"] = after
    elif before:
        args["voor"] = before
    return url_for(request.endpoint, **(request.view_args or {}), **args)

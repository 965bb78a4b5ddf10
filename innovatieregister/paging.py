"""One page of a list: every list a page shows or the API returns is read a page at a time.

The total comes from a count capped at COUNT_CAP: past it the page says "meer dan 10.000"
instead of counting a national registry on every request, and the deepest page there can be
is bounded too: a page past the count is empty without a query, so an OFFSET never walks
more than COUNT_CAP rows of an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import request, url_for

from innovatieregister import limits
from innovatieregister.extensions import db

COUNT_CAP = 10_000
PER_PAGE = 25  # a web list's page
PREVIEW = 5  # the first few items of a list on the dashboard


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False  # the total is a lower bound: there are more than `total`
    statuses: dict = field(default_factory=dict)  # per initiative id, its status as the viewer may see it

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def beyond(self) -> bool:
        """Past the last row counted: nothing to read."""
        return self.offset >= self.total


def clamp(page: int, per_page: int) -> tuple[int, int]:
    return min(max(1, page), limits.PAGE_MAX), min(max(1, per_page), limits.PER_PAGE_MAX)


def capped_count(query: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows `query` has, reading at most cap + 1 of them: (count, more than cap?)."""
    rows = query.with_only_columns(sa.literal_column("1"), maintain_column_froms=True).order_by(None)
    n = db.session.scalar(sa.select(sa.func.count()).select_from(rows.limit(cap + 1).subquery()))
    return min(n, cap), n > cap


def counted(query: sa.Select, page: int, per_page: int) -> Page:
    """An empty page of `query` with its capped total, to be filled with the rows of its offset."""
    page, per_page = clamp(page, per_page)
    total, capped = capped_count(query)
    return Page([], page, per_page, total, capped)


def paginate(query: sa.Select, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of an ordered select of ORM objects (joined eager loads are deduplicated)."""
    result = counted(query, page, per_page)
    if not result.beyond:
        result.items = list(db.session.scalars(query.limit(result.per_page).offset(result.offset)).unique())
    return result


def page_url(number: int, parameter: str = "pagina") -> str:
    """This page's URL with another page number, every other query parameter kept."""
    args = request.args.to_dict()
    args[parameter] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)

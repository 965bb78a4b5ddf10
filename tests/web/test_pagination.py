"""Every list is read a page at a time: a page never holds more than its size, the rest is a
"Volgende" away, and the API's pages follow their links to the end."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innovatieregister import paging
from innovatieregister.models import Initiative, Notification, Region, User
from innovatieregister.services.notifications import notify_users
from tests import flows
from tests.web.test_query_counts import _api_headers, _grow

MORE_THAN_A_PAGE = paging.PER_PAGE + 2


@pytest.fixture
def many(app, demo):
    """More initiatives than fit on a page, each with requests, an adoption request and a case."""
    _grow(app, demo, MORE_THAN_A_PAGE)
    return demo


API_LISTS = ["/api/v1/follow-requests", "/api/v1/adoption-requests", "/api/v1/initiatives"]
# (who, list, what each row of the list has)
LISTS = [
    ("vgz@demo.nl", "/besluiten/", r'href="/initiatieven/\d+/besluit"'),
    ("menzis@demo.nl", "/initiatieven/", r'<td><a href="/initiatieven/\d+"'),
    ("vgz@demo.nl", "/register/", r'href="/register/\d+"'),
    ("asr@demo.nl", "/overnameverzoeken/", r'href="/overnameverzoeken/\d+/besluit"'),
    ("bemiddelaar@demo.nl", "/bemiddeling/", r'href="/bemiddeling/\d+"'),
    ("vgz@demo.nl", "/meldingen", r'<li class="unread"'),
    # A dashboard's work list whole (issue 13): the mediator's cases, the most urgent first.
    ("bemiddelaar@demo.nl", "/werk/zaken", r'<li><a href="/bemiddeling/\d+"'),
]
# Lists whose order is computed, read by page number instead of by a keyset cursor.
BY_NUMBER = ("/register/", "/werk/zaken")


def _rows(row: str, page: str) -> list[str]:
    """Each row's line, in page order (a row is known by what follows its marker)."""
    return [m.group(0) for m in re.finditer(row + r"[^\n]*", page)]


def test_a_web_list_shows_one_page_and_links_to_the_next(app, client, auth, many):
    # One registry grown for every list: growing it takes seconds.
    for email, url, row in LISTS:
        auth.login(email)
        first = client.get(url).get_data(as_text=True)
        assert len(re.findall(row, first)) == paging.PER_PAGE, url
        nav = re.search(r'<nav aria-label="Paginering" class="pagination">(.*?)</nav>', first, re.S).group(1)
        assert 'aria-current="page">Pagina 1 van 2' in nav and "Vorige" not in nav, url
        total = int(re.search(r"\((\d+) \w+\)", nav).group(1))  # the demo's own rows besides ours
        assert total >= MORE_THAN_A_PAGE, url
        next_url = re.search(r'<a href="([^"]+)" rel="next">Volgende', nav).group(1).replace("&amp;", "&")
        second = client.get(next_url).get_data(as_text=True)
        assert len(re.findall(row, second)) == total - paging.PER_PAGE, url
        assert 'rel="prev">Vorige' in second and 'aria-current="page">Pagina 2 van 2' in second, url
        assert 'rel="next"' not in second, url
        # The links carry the keyset cursor; Vorige from page 2 is page 1 again, row for row.
        assert bool(re.search(r"[?&]na=", next_url)) == (url not in BY_NUMBER), url
        back_url = re.search(r'<a href="([^"]+)" rel="prev">Vorige', second).group(1).replace("&amp;", "&")
        back = client.get(back_url).get_data(as_text=True)
        assert bool(re.search(r"[?&]voor=", back_url)) == (url not in BY_NUMBER) and _rows(row, back) == _rows(row, first), url
        assert not set(_rows(row, first)) & set(_rows(row, second)) or "<li" in row, url
        assert 'aria-current="page">Pagina 1 van 2' in back and 'rel="prev"' not in back, url

    auth.login("menzis@demo.nl")  # a filtered list keeps its filters on the next page
    page = client.get("/initiatieven/?regio=ZK22&status=in_mediation").get_data(as_text=True)
    next_url = re.search(r'<a href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    assert "regio=ZK22" in next_url and "status=in_mediation" in next_url and "pagina=2" in next_url

    # The dashboard: counts and the first few, each a link to its object.
    auth.login("vgz@demo.nl")
    page = client.get("/").get_data(as_text=True)
    assert f"Wacht op ons besluit ({MORE_THAN_A_PAGE})" in page
    assert len(re.findall(r'<li><a href="/initiatieven/\d+/besluit"', page)) == paging.PREVIEW
    auth.login("menzis@demo.nl")
    page = client.get("/").get_data(as_text=True)
    with app.app_context():
        menzis = flows.user(many, "menzis@demo.nl").organisation_id
        led = many.session.scalar(sa.select(sa.func.count(Initiative.id)).where(Initiative.lead_insurer_id == menzis))
    assert led >= MORE_THAN_A_PAGE and re.search(rf"Initiatieven die wij leiden\s+\({led}\)", page)
    led_list = page.split('id="werk-geleid"')[1].split("</section>")[0]
    assert len(re.findall(r'<li><a href="/initiatieven/\d+"', led_list)) == paging.PREVIEW
    auth.login("bemiddelaar@demo.nl")
    page = client.get("/").get_data(as_text=True)
    assert f"Zaken in bemiddeling ({MORE_THAN_A_PAGE})" in page
    assert len(re.findall(r'<li><a href="/bemiddeling/\d+"', page)) == paging.PREVIEW


def test_an_api_list_pages_through_its_links(app, many):
    headers = _api_headers(app, many, "asr@demo.nl")  # asked to follow, and to adopt, on every initiative
    client = app.test_client()
    for path in API_LISTS:
        url, seen, pages = f"{path}?per_page=10", [], 0
        while url:
            body = client.get(url, headers=headers).get_json()
            assert len(body["items"]) <= 10 and body["per_page"] == 10 and body["total_capped"] is False
            assert (body["previous"] is None) == (pages == 0), path
            seen += [tuple(sorted((k, str(v)) for k, v in item.items())) for item in body["items"]]
            url, pages = body["next"], pages + 1
        assert len(seen) == len(set(seen)) == body["total"] >= MORE_THAN_A_PAGE, path
        assert pages == -(-body["total"] // 10), path


@pytest.mark.parametrize("path", API_LISTS)
def test_an_api_page_larger_than_the_maximum_is_refused(app, demo, path):
    response = app.test_client().get(f"{path}?per_page=101", headers=_api_headers(app, demo, "vgz@demo.nl"))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "per_page" in response.get_json()["errors"]


@pytest.mark.parametrize("cursor", ["na=x", "voor=%00", "na=WyJ4IiwxXQ", "na=WzEsMiwzXQ", "voor=W3RydWVd",
                                    "na=" + "A" * 300, "na=WyIyMDI2LTAxLTAxIiwxXQ"])
def test_a_forged_cursor_shows_a_page_never_an_error(client, auth, demo, cursor):
    auth.login("vgz@demo.nl")
    for url in ("/besluiten/", "/initiatieven/", "/meldingen", "/overnameverzoeken/", "/bemiddeling/"):
        assert client.get(f"{url}?{cursor}").status_code in (200, 422), url


def test_an_api_cursor_that_is_no_cursor_is_refused(app, demo):
    headers = _api_headers(app, demo, "vgz@demo.nl")
    for query in ("after=x", "before=W3RydWVd", "after=" + "A" * 300):
        response = app.test_client().get(f"/api/v1/follow-requests?{query}", headers=headers)
        assert response.status_code == 422 and query.split("=")[0] in response.get_json()["errors"], query


def test_a_count_past_its_cap_says_more_than(app, demo):
    with app.app_context():
        everything = sa.select(Region).order_by(Region.name)
        total = demo.session.scalar(sa.select(sa.func.count(Region.id)))
        assert total > 1
        assert paging.capped_count(everything, cap=total - 1) == (total - 1, True)
        assert paging.capped_count(everything, cap=total) == (total, False)


def test_the_unread_badge_stops_counting_at_99(app, client, auth, demo):
    auth.login("vgz@demo.nl")
    with app.app_context():
        me = flows.user(demo, "vgz@demo.nl").id
        demo.session.execute(sa.delete(Notification).where(Notification.user_id == me))
        notify_users([me] * 1, "x", "Eén")
        demo.session.commit()
    assert '<span class="badge">1<span class="visually-hidden"> ongelezen' in client.get("/").get_data(as_text=True)
    with app.app_context():
        for n in range(120):
            notify_users([me], "x", f"Melding {n}")
        demo.session.commit()
        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == me, Notification.read_at.is_(None))) == 121
        assert demo.session.scalar(sa.select(User.id).where(User.id == me))
    assert '<span class="badge">99+<span class="visually-hidden"> ongelezen' in client.get("/").get_data(as_text=True)


def test_a_timeline_is_sorted_after_its_entries_are_found_and_pages_like_any_list(app, demo):
    """A timeline reads its object's few entries through ix_audit_entries_object and sorts them
    (paginate by_filter: ORDER BY seq + 0), because PostgreSQL otherwise may walk the seq index
    through every entry of the trail (measured: 1,000,000 entries read for 3, 195 ms instead of
    1 ms). The pages, their order and their cursors are those of the plain order."""
    import sqlalchemy as sa

    from innovatieregister.models import AuditEntry
    from innovatieregister.paging import decode, paginate
    from innovatieregister.services.audit_trail import timeline

    flows.open_observation_beds(app, demo)
    with app.app_context():
        initiative = demo.session.scalar(sa.select(AuditEntry.object_id).where(AuditEntry.object_type == "Initiative")
                                         .group_by(AuditEntry.object_id).order_by(sa.func.count().desc()).limit(1))
        query = sa.select(AuditEntry).where(AuditEntry.object_type == "Initiative",
                                            AuditEntry.object_id == initiative)
        plain, found = paginate(query, 1, 1, order=(AuditEntry.seq,)), timeline([("Initiative", [int(initiative)])],
                                                                                  per_page=1)
        assert [e.seq for e in found.items] == [e.seq for e in plain.items] and found.next_cursor == plain.next_cursor
        assert found.total == plain.total > 1
        following = timeline([("Initiative", [int(initiative)])], per_page=1, cursor=decode(found.next_cursor))
        assert [e.seq for e in following.items] == [e.seq for e in paginate(
            query, 1, 1, order=(AuditEntry.seq,), cursor=decode(plain.next_cursor)).items]
        sql = []
        sa.event.listen(demo.engine, "before_cursor_execute", lambda *a: sql.append(a[2]))
        timeline([("Initiative", [int(initiative)])], per_page=1)
    assert any("ORDER BY audit_entries.seq + " in s for s in sql), sql

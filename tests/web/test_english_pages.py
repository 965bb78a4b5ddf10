"""Every page speaks English to a user who chose it (issue 13): crawled as every role with the language
set to English, no Dutch sentence of the register's own is left. What people typed (titles, reasons,
names: every text in the database) stays as they wrote it and is taken out before looking.

Run one area while translating it: `ENGLISH_PATHS=/beheer,/regio pytest tests/web/test_english_pages.py -s`
prints each page's Dutch words."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

from innovatieregister.extensions import db
from innovatieregister.models import User
from tests.web.test_dutch_pages import ROLES, visible_text
from tests.web.test_visibility import crawl, planted  # noqa: F401  (planted is a fixture)

# Dutch words that are no English word; one of them outside the data means an untranslated text.
DUTCH = re.compile(r"(?<![\w-])(de|het|een|van|niet|voor|zijn|wordt|worden|nog|geen|uw|wij|ons|onze|naar|"
                   r"bij|door|als|dan|aan|te|om|zonder|deze|dit|wat|wie|er|ook|maar|kan|moet|heeft|hebben|"
                   r"terug|opslaan|verzoek|verzoeken|besluit|besluiten|termijn|verzekeraar|verzekeraars|"
                   r"pagina|volgende|vorige|overzicht|meldingen|toelichting|regio|bedrag|jaar|gemeente)(?![\w-])",
                   re.I)


# Text marked lang="nl" is Dutch on purpose and says so to screen readers: names that programs read,
# such as the open data's column names (publication/views.OPEN_DATA_COLUMNS).
DUTCH_ON_PURPOSE = re.compile(r'<(?!html\b)(\w+)[^>]*\blang="nl"[^>]*>.*?</\1>', re.S)


def _data_texts() -> list[str]:
    """Every text in the database (what people typed and the reference data), longest first."""
    texts: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        for column in columns:
            texts |= {v for v in db.session.scalars(sa.select(column).distinct()) if v and len(v) >= 2}
    lines = {line.strip() for text in texts for line in text.splitlines() if len(line.strip()) >= 2}
    return sorted(texts | lines, key=len, reverse=True)



def dutch_left(text: str, data: list[str]) -> list[str]:
    for item in data:
        if item in text:
            text = text.replace(item, " ")
    return sorted({m.group(0) for m in DUTCH.finditer(text)})


@pytest.mark.parametrize("email", ROLES)
def test_every_page_speaks_english_to_who_chose_it(app, demo, client, auth, planted, email):  # noqa: F811
    with app.app_context():
        db.session.execute(sa.update(User).values(language="en"))
        db.session.commit()
        data = _data_texts()
    auth.login(email)
    seen = crawl(client, ["/", f"/initiatieven/{planted['initiative']}/tijdlijn",
                          f"/bemiddeling/{planted['case']}", f"/bemiddeling/{planted['case']}/tijdlijn"])
    only = [p for p in os.environ.get("ENGLISH_PATHS", "").split(",") if p]
    found = {}
    for path, body in seen.items():
        # The open data keep their Dutch column names in every language (machines read them).
        if path.endswith((".json", ".csv")) or "formaat=json" in path or (only and not path.startswith(tuple(only))):
            continue
        text = body if "formaat=" in path else visible_text(DUTCH_ON_PURPOSE.sub(" ", body))
        if words := dutch_left(text, data):
            found[path] = words
    for path, words in sorted(found.items()):
        print("DUTCH", email, path, words)
    assert len(seen) > 20
    assert found == {}

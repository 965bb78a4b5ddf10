"""The bounds of every input, in one place.

The model columns, the forms (Length validators, maxlength in the HTML), the services that
check input for the web and the API alike, and the OpenAPI document all take their numbers
from here, so they cannot disagree (tests/integration/test_input_limits.py checks that they do not).
"""

from __future__ import annotations

import re
from datetime import date

from innovatieregister.domain.text import N_

# Integers. Ids and counts live in PostgreSQL `integer` columns unless said otherwise.
ID_MAX = 2**31 - 1
PAGE_MAX = 100_000  # far past the last page at national scale (bench/README.md)
PER_PAGE_MAX = 100
VOLUME_MAX = 100_000_000  # units of care a year (price × volume): bed-days, consultations
IMPACT_VOLUME_MAX = 10_000_000  # patients or bed-days a year: more than the Netherlands has
INSURED_MAX = 25_000_000  # insured in one region: more than the Dutch population
COST_LINES = 20  # cost lines of one initiative (the form shows that many rows at most)
GOALS = 10  # SMART goals of one initiative
PROVIDERS = 50  # providers involved in one initiative (a zorggroep counts as one)
EVALUATION_LINKS = 50  # links to evaluations of one initiative (together at most TEXT characters)
THEMES = 12  # themes of one regional plan (the IZA has four)
THEME_GOALS = 10  # SMART goals of one theme

# Text, in characters.
TITLE = 200  # the title of an initiative
NAME = 200  # names of criteria, organisations, people
CODE = 60  # codes of criteria, regions and organisations as typed
LINE = 300  # one line: a cost line, a goal's metric, how an amount was computed and its source
GOAL_VALUE = 100  # a goal's baseline and target
URL = 500  # a link to evidence or an evaluation
TEXT = 5000  # free text: descriptions, plans, explanations, statements, reasoning
REGIOBEELD = 20_000  # a region's picture: a summary of the regiobeeld, with links to the full report
SOURCE = 1000  # the source of a market-share set
TOKEN_NAME = 100
EMAIL = 254  # RFC 5321's longest address
IDEMPOTENCY_KEY = 64
CSV_FIELD = 200  # one field of a market-share file
UNIT = 40  # the unit of a measured value ("%", "ligdagen", "patiënten per jaar")
FILENAME = 255  # an uploaded document's file name
CONTENT_TYPE = 100

# Monitoring (issue 10). A measured value has at most four decimals (models.base.Quantity).
MEASUREMENT_ABS_MAX = 10**12  # larger than any count, rate or euro amount of one initiative
MEASUREMENTS_PER_UPLOAD = 2_000  # lines of one measurements CSV
DOCUMENT_BYTES_MAX = 10 * 1024 * 1024  # one uploaded document: an evaluation report fits easily
EVALUATION_MEASUREMENTS = 200  # measurements one evaluation may rest on
CALENDAR_MOMENTS = 100  # moments one call moves: more than a term's calendar holds (baseline, yearly, final)
MARKET_SHARE_FILE = 1_000_000  # characters of a market-share file sent as text (31 regions × ten insurers, with room)

# The deepest JSON body the API reads: Python's parser would otherwise recurse until it fails.
JSON_DEPTH = 32


# Control characters (C0 other than tab, newline and carriage return; DEL; C1) and lone surrogates: no person
# means them, PostgreSQL cannot store a NUL, and the others hide what a text says.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_forbidden_characters(text: str) -> bool:
    return FORBIDDEN_CHARACTERS.search(text) is not None


# The shared messages are said in the reader's language; flask_babel is imported where they are made,
# because the domain imports this module for its bounds and must not pull in Flask.

def too_long(label: str, limit: int) -> str:
    """The one message for text over its limit."""
    from flask_babel import gettext as _

    return _("%(label)s is te lang (maximaal %(n)s tekens).", label=label, n=limit)


def out_of_range(label: str, low: int, high: int) -> str:
    from flask_babel import gettext as _

    return _("%(label)s is een geheel getal van %(low)s tot en met %(high)s.", label=label, low=low, high=high)


def checked_text(value: object, limit: int, field: str, errors: dict[str, list[str]], label: str,
                 required: str | None = None) -> str:
    """`value` as stored text (stripped); over `limit`, a message for `field` in `errors`, and
    when empty, the `required` message (if the text is required)."""
    text = (value if isinstance(value, str) else "" if value is None else str(value)).strip()
    if len(text) > limit:
        errors.setdefault(field, []).append(too_long(label, limit))
    elif not text and required:
        errors.setdefault(field, []).append(required)
    return text


# A date as people type it: dd-mm-jjjj (also d-m-jjjj, with / or . between), or ISO jjjj-mm-dd.
_DUTCH_DATE = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
DATE_INPUT = N_("dd-mm-jjjj")  # the form every label, hint and message names (said: gettext(DATE_INPUT))
# Dates of this register's business (terms, goals, impact): a typing error such as 1900 or 9999
# is refused instead of becoming a goal "due" a century ago.
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)


def parse_date(value: object) -> date | None:
    """A typed date, dd-mm-jjjj (31-12-2029) or ISO jjjj-mm-dd (2029-12-31), from DATE_MIN to
    DATE_MAX, else None. The one parser of every form, the API and the CSV uploads."""
    if isinstance(value, date):
        parsed = value
    elif not isinstance(value, str):
        return None
    else:
        text = value.strip()
        if dutch := _DUTCH_DATE.match(text):
            day, month, year = (int(part) for part in dutch.groups())
        elif iso := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in iso.groups())
        else:
            return None
        try:
            parsed = date(year, month, day)
        except ValueError:
            return None
    return parsed if DATE_MIN <= parsed <= DATE_MAX else None


def date_input(value: date | None) -> str:
    """A stored date as a form shows it for editing: 31-12-2029."""
    return "" if value is None else f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def invalid_date(label: str) -> str:
    """The one message for a date that is not one: it names the form to type."""
    from flask_babel import gettext as _

    return _("%(label)s: geen geldige datum. Typ %(form)s, bijvoorbeeld 31-12-2029 (tussen %(low)s en %(high)s).",
             label=label, form=_(DATE_INPUT), low=DATE_MIN.year, high=DATE_MAX.year)


iso_date = parse_date  # the earlier name, kept for branches written before dd-mm-jjjj was accepted

"""The languages of the register (issue 13): Dutch, the default and the source of truth for every
policy term, and English on request.

Every text is written in Dutch in the code and the templates and marked for translation (`_` /
`gettext` in the app, `lazy_gettext` for texts defined at import time, `domain.text.N_` in the
domain). `make translations` compiles `translations/en`; tests/unit/test_translations.py fails on any
marked text without its English. A user chooses the language on the profile page; before log-in the
browser's Accept-Language decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum

from flask import Flask, has_request_context, request
from flask_babel import force_locale, get_locale, gettext

from innovatieregister.domain import text

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"


def select_locale() -> str:
    """The reader's language: a logged-in user's choice, else the browser's, else Dutch. Jobs and
    commands (no request) write Dutch unless they choose with `speaking`."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return current_user.language if current_user.language in LANGUAGES else DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    # The domain's texts (its label tables, its refusals: domain.text.say) in the reader's language.
    text.say_with(gettext)
    # Decided as the request starts, while the user is fresh: an error page after a failed database
    # transaction must not ask the database again which language its reader chose.
    app.before_request(_decide_language)


def _decide_language() -> None:
    get_locale()


def language() -> str:
    """The language texts are being written in now ('nl' or 'en')."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def speaking(language_code: str | None) -> Iterator[None]:
    """Write in this person's language for a while: an e-mail to a user, whoever sent it."""
    with force_locale(language_code if language_code in LANGUAGES else DEFAULT_LANGUAGE):
        yield


def said(value: object) -> str:
    """Anything a message carries, in the reader's language: a text with values (the domain's Phrase,
    a notification's Said) translated with its values said too (in lower case when it asks); an enum
    member by its label; a date as the reader writes it; a tuple joined with 'en'/'and' and a list of
    messages with '; '; anything else (a title, a name: what people typed) as it is."""
    from flask_babel import gettext

    from innovatieregister import labels
    from innovatieregister.formatting import datum

    if hasattr(value, "msgid") and hasattr(value, "values"):
        text = gettext(value.msgid, **{name: said(v) for name, v in value.values.items()})
        return text.lower() if getattr(value, "lower", False) is True else text
    if isinstance(value, Enum):
        return labels.label(value)
    if isinstance(value, date):
        return datum(value)
    if isinstance(value, tuple):
        return gettext(" en ").join(said(v) for v in value)
    if isinstance(value, list):
        return "; ".join(translated(m) for m in value)
    return str(value)


def translated(message: str) -> str:
    """A message of the domain in the reader's language: a marked text (domain.text.N_) or a Phrase."""
    from flask_babel import gettext

    return said(message) if hasattr(message, "msgid") else gettext(message)


def translated_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per-field messages of the domain in the reader's language."""
    return {field: [translated(m) for m in messages] for field, messages in errors.items()}

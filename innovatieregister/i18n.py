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

from flask import Flask, has_request_context, request
from flask_babel import force_locale, get_locale, gettext

from innovatieregister.domain import label_table

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
    # The domain's label tables (domain.label_table.Labels) are read in the reader's language.
    label_table.say_with(gettext)
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


def translated(message: str) -> str:
    """A message of the domain in the reader's language: a marked text (domain.text.N_) as is, a
    Phrase with its values put in after translation (dates as the reader writes them, Phrases among
    the values translated too, a list of them joined with '; ')."""
    from flask_babel import gettext

    from innovatieregister.domain.text import Phrase
    from innovatieregister.formatting import datum

    def value(v: object) -> object:
        if hasattr(v, "isoformat"):
            return datum(v)
        if isinstance(v, list):
            return "; ".join(translated(m) for m in v)
        return translated(v) if isinstance(v, Phrase) else v  # what people typed stays as it is

    if isinstance(message, Phrase):
        return gettext(message.msgid, **{k: value(v) for k, v in message.values.items()})
    return gettext(message)


def translated_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per-field messages of the domain in the reader's language."""
    return {field: [translated(m) for m in messages] for field, messages in errors.items()}

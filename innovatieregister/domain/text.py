"""Marking Dutch texts for the English catalogue (issue 13).

The domain knows no language: it writes its labels and refusals in Dutch, the source of truth for
every policy term, and marks them with `N_` so that `make translations` extracts them. They are
translated where they are shown (`labels.label`, the service errors), in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


def N_(text: str) -> str:
    """The text itself; the mark tells the extractor it belongs in the catalogue."""
    return text


_translate: Callable[[str], str] = N_


def say(text: str) -> str:
    """A marked Dutch text in the reader's language: the app tells the domain once how to translate
    (`say_with(gettext)`, innovatieregister.i18n); outside an app, or for a Dutch reader, it is Dutch."""
    return _translate(text)


def say_with(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


class Phrase(str):
    """A Dutch message with values, that still knows its msgid and its values: the app shows it in
    the reader's language (i18n.translated), dates written the reader's way. As a str it is the Dutch
    text, dates written in full (domain.calendar.written). A value may be a Phrase itself, or a list
    of messages (joined with '; ')."""

    msgid: str
    values: dict

    def __new__(cls, msgid: str, **values: object) -> Phrase:
        from innovatieregister.domain.calendar import written

        dutch = {k: written(v) if isinstance(v, date) else "; ".join(v) if isinstance(v, list) else v
                 for k, v in values.items()}
        phrase = super().__new__(cls, msgid % dutch)
        phrase.msgid, phrase.values = msgid, values
        return phrase

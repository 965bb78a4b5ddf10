"""A label table of the domain that is read in the reader's language (issue 13).

The domain writes its labels in Dutch (marked `N_` for the catalogue) and knows no language; the app
tells it once how to say a text (`domain.text.say_with(gettext)`, innovatieregister.i18n). Every read of a
`Labels` table (`table[member]`, `.get`, `.items()`, `.values()`) then gives the label in the language
of whoever reads: a page, a form's choices, an export, a refusal. Outside an app the text is Dutch.
`raw(member)` is the Dutch text itself, for code that translates later (a notification written in
each recipient's language).
"""

from __future__ import annotations

from typing import Any

from innovatieregister.domain.text import say


class Labels(dict[Any, str]):
    """{member: Dutch label}, read in the reader's language."""

    def __getitem__(self, key: object) -> str:
        return say(super().__getitem__(key))

    def get(self, key: object, default: object = None):  # noqa: ANN201 - as dict.get
        return self[key] if key in self else default

    def raw(self, key: object) -> str:
        return super().__getitem__(key)

    def values(self) -> list[str]:  # type: ignore[override]
        return [self[key] for key in self]

    def items(self) -> list[tuple[Any, str]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]


"""The domain's label tables (domain.label_table): Dutch where no app says otherwise, and read through
whatever the app says a text with; copies and `raw` keep the Dutch msgid (issue 13)."""

from __future__ import annotations

from innovatieregister.domain import label_table
from innovatieregister.domain.label_table import Labels


def test_a_table_is_read_through_the_apps_way_of_saying_and_keeps_its_dutch():
    table = Labels({"a": "Op koers", "b": "Geëvalueerd"})
    before = label_table._say
    try:
        label_table.say_with(_dutch_only)
        assert table["a"] == "Op koers" and table.get("x", "—") == "—"
        label_table.say_with(str.upper)  # stands in for gettext in another language
        assert table["a"] == "OP KOERS" and table.get("b") == "GEËVALUEERD"
        assert table.items() == [("a", "OP KOERS"), ("b", "GEËVALUEERD")] and table.values()[0] == "OP KOERS"
        assert table.raw("a") == "Op koers"
        assert {**table} == {"a": "Op koers", "b": "Geëvalueerd"} == dict(table)  # copies keep the msgids
    finally:
        label_table.say_with(before)


def _dutch_only(text: str) -> str:
    return text

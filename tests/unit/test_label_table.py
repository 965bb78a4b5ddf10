"""The domain's label tables (domain.label_table): Dutch where no app says otherwise, and read through
whatever the app says a text with (domain.text.say_with); copies and `raw` keep the Dutch msgid (issue 13)."""

from __future__ import annotations

from innovatieregister.domain import text
from innovatieregister.domain.label_table import Labels


def test_a_table_is_read_through_the_apps_way_of_saying_and_keeps_its_dutch():
    table = Labels({"a": "Op koers", "b": "Geëvalueerd"})
    before = text._translate
    try:
        text.say_with(_dutch_only)
        assert table["a"] == "Op koers" and table.get("x", "—") == "—"
        text.say_with(str.upper)  # stands in for gettext in another language
        assert table["a"] == "OP KOERS" and table.get("b") == "GEËVALUEERD"
        assert table.items() == [("a", "OP KOERS"), ("b", "GEËVALUEERD")] and table.values()[0] == "OP KOERS"
        assert table.raw("a") == "Op koers"
        assert {**table} == {"a": "Op koers", "b": "Geëvalueerd"} == dict(table)  # copies keep the msgids
    finally:
        text.say_with(before)


def _dutch_only(text: str) -> str:
    return text


def test_a_refusal_of_the_domain_is_said_the_same_way():
    """The domain's refusals (a transition not allowed, a registration not cross-institution) are said
    through the one way the app set, wherever they are raised: no caller has to pass a translator."""
    from innovatieregister.domain.registration import cross_institution_problem
    from innovatieregister.domain.workflow import FollowRequestEvent, FollowRequestState, InvalidTransition, transition

    before = text._translate
    try:
        text.say_with("»{}".format)  # stands in for gettext in another language
        assert cross_institution_problem(1, "").startswith("»Het volgbeleid geldt")
        try:
            transition(FollowRequestState.CANCELLED, FollowRequestEvent.DECIDE, "insurer")
        except InvalidTransition as refused:
            assert str(refused).startswith("»'") and "»Vanuit" in str(refused)
        else:
            raise AssertionError("a cancelled request cannot be decided")
    finally:
        text.say_with(before)

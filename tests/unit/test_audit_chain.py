"""The hash chain, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from innovatieregister.domain.audit_chain import GENESIS, entry_hash, verify


def _chain(n: int) -> list[dict]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        entry = {"id": 100 + i, "seq": i, "occurred_at": datetime(2026, 11, 23, 10, tzinfo=UTC) + timedelta(seconds=i),
                 "actor_user_id": 1, "actor_organisation_id": 2, "actor_label": "a@b.nl", "action": "x.y",
                 "object_type": "Initiative", "object_id": str(i), "before": None, "after": {"n": i, "s": "é"},
                 "request_id": None, "prev_hash": prev}
        entry["entry_hash"] = prev = entry_hash(entry, prev)
        entries.append(entry)
    return entries


def test_an_untouched_chain_holds():
    assert verify(_chain(5)) is None
    assert verify([]) is None


def test_every_kind_of_tampering_names_the_first_broken_entry():
    changed = _chain(5)
    changed[2]["after"] = {"n": 999, "s": "é"}
    assert verify(changed).entry_id == 103
    removed = _chain(5)
    del removed[1]
    assert verify(removed).entry_id == 103
    swapped = _chain(5)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    assert verify(swapped).entry_id == 103
    rehashed = _chain(5)  # an attacker recomputes the edited entry's own hash, but not the next link
    rehashed[1]["after"] = {"n": 0}
    rehashed[1]["entry_hash"] = entry_hash(rehashed[1], rehashed[1]["prev_hash"])
    assert verify(rehashed).entry_id == 103


def test_the_hash_does_not_depend_on_key_order_or_time_zone():
    entry = _chain(1)[0]
    reordered = dict(reversed(list(entry.items())))
    amsterdam = {**entry, "occurred_at": entry["occurred_at"].astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))}
    assert entry_hash(reordered, GENESIS) == entry_hash(entry, GENESIS) == entry_hash(amsterdam, GENESIS)

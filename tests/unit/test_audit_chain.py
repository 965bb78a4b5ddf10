"""The keyed hash chain and its checkpoints, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from innovatieregister.domain.audit_chain import (
    GENESIS,
    KEYED,
    UNKEYED,
    Keyring,
    checkpoint_is_authentic,
    key_id_of,
    keyed_hash,
    sign_checkpoint,
    unkeyed_hash,
    verify,
)

KEYS = Keyring.of("the-audit-key-of-this-installation-0123456789")
MADE_AT = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _entry(i: int, **changes) -> dict:
    return {"id": 100 + i, "seq": i, "occurred_at": datetime(2026, 11, 23, 10, tzinfo=UTC) + timedelta(seconds=i),
            "actor_user_id": 1, "actor_organisation_id": 2, "actor_label": "a@b.nl", "action": "x.y",
            "object_type": "Initiative", "object_id": str(i), "before": None, "after": {"n": i, "s": "é"},
            "request_id": None, **changes}


def _link(entries: list[dict], start: int = 0, *, key: bytes | None = KEYS.current, prev: str | None = None) -> list[dict]:
    """(Re)compute the links from `start` on: keyed with `key`, or with the public function when key is None."""
    prev = prev if prev is not None else (entries[start - 1]["entry_hash"] if start else GENESIS)
    for entry in entries[start:]:
        entry["prev_hash"] = prev
        if key is None:
            entry.update(chain_version=UNKEYED, key_id=None)
            entry["entry_hash"] = unkeyed_hash(entry, prev)
        else:
            entry.update(chain_version=KEYED, key_id=key_id_of(key))
            entry["entry_hash"] = keyed_hash(entry, prev, key, key_id_of(key))
        prev = entry["entry_hash"]
    return entries


def _chain(n: int, **kwargs) -> list[dict]:
    return _link([_entry(i) for i in range(1, n + 1)], **kwargs)


def _checkpoint(entries: list[dict], keyring: Keyring = KEYS):
    head = entries[-1]
    return sign_checkpoint(len(entries), head["seq"], head["entry_hash"], MADE_AT, keyring)


def test_an_untouched_chain_holds_and_reaches_its_checkpoint():
    chain = _chain(5)
    verdict = verify(chain, KEYS, _checkpoint(chain))
    assert verdict.intact and (verdict.count, verdict.head_seq, verdict.unkeyed) == (5, 5, 0)
    without = verify(chain, KEYS)
    assert not without.problems and not without.intact  # nothing wrong found, but the end is unproven


def test_an_empty_chain_is_never_intact():
    assert verify([], KEYS).missing == ["het audittrail is leeg (0 regels gevonden)"]
    verdict = verify([], KEYS, _checkpoint(_chain(5)))
    assert not verdict.intact and verdict.missing[0].startswith("regels 1–5 ontbreken")


def test_every_kind_of_tampering_names_the_first_broken_entry():
    changed = _chain(5)
    changed[2]["after"] = {"n": 999, "s": "é"}
    assert verify(changed, KEYS).broken.seq == 3
    removed = _chain(5)
    del removed[1]
    assert (verify(removed, KEYS).broken.seq, verify(removed, KEYS).broken.reason) == (3, "regel 2 ontbreekt")
    first_gone = _chain(5)[3:]
    assert verify(first_gone, KEYS).broken.reason == "regels 1–3 ontbreken"
    swapped = _chain(5)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    assert verify(swapped, KEYS).broken.entry_id == 103


def test_recomputing_the_rest_of_the_chain_without_the_key_is_detected():
    for rehash in ({"key": None},  # the public function, and claiming version 1
                   {"key": b"a-guessed-key"}):  # another key (its own key id)
        chain = _chain(5)
        chain[2]["after"] = {"n": 0}
        _link(chain, 2, **rehash)
        assert verify(chain, KEYS).broken.seq == 3, rehash
    # Keeping version 2 and the real key id, with the public function or a wrong key for the hash.
    for digest in (lambda e, prev: unkeyed_hash(e, prev),
                   lambda e, prev: keyed_hash(e, prev, b"a-guessed-key", KEYS.current_id)):
        chain = _chain(5)
        chain[2]["after"] = {"n": 0}
        for entry in chain[2:]:
            entry["prev_hash"] = chain[entry["seq"] - 2]["entry_hash"]
            entry["entry_hash"] = digest(entry, entry["prev_hash"])
        assert verify(chain, KEYS).broken.seq == 3


def test_unkeyed_entries_before_the_key_hold_and_are_protected_by_the_first_keyed_entry():
    chain = _link(_chain(3, key=None) + [_entry(4), _entry(5)], 3)
    verdict = verify(chain, KEYS, _checkpoint(chain))
    assert verdict.intact and verdict.unkeyed == 3
    chain[1]["after"] = {"n": 0}  # an old entry changed and the unkeyed part rehashed with the public function
    _link(chain[:3], 1, key=None)
    assert verify(chain, KEYS).broken.seq == 4


def test_a_version_1_entry_after_a_keyed_one_is_refused():
    chain = _link(_chain(3) + [_entry(4), _entry(5)], 3, key=None)
    broken = verify(chain, KEYS).broken
    assert broken.seq == 4 and "versie 1" in broken.reason


def test_a_rotated_key_verifies_old_entries_and_never_follows_the_new_one():
    old, new = "the-old-audit-key-0123456789abcdef", "the-new-audit-key-0123456789abcdef"
    rotated = Keyring.of(new, [old])
    chain = _link(_chain(3, key=old.encode()) + [_entry(4), _entry(5)], 3, key=new.encode())
    assert verify(chain, rotated, _checkpoint(chain, rotated)).intact
    assert verify(chain, Keyring.of(new)).broken.seq == 1  # the old key forgotten: its entries cannot be checked
    forged_with_old = _link(chain, 4, key=old.encode())  # someone with the retired key appends to the end
    broken = verify(forged_with_old, rotated).broken
    assert broken.seq == 5 and "oudere sleutel" in broken.reason


def test_a_chain_cut_off_at_the_end_is_caught_by_its_checkpoint():
    chain = _chain(10)
    checkpoint = _checkpoint(chain)
    verdict = verify(chain[:7], KEYS, checkpoint)
    assert not verdict.intact and verdict.broken is None
    assert verdict.missing == ["regels 8–10 ontbreken (laatste controlepunt: 10 regels t/m volgnummer 10, gevonden: 7)"]
    assert verify(chain[:9], KEYS, checkpoint).missing[0].startswith("regel 10 ontbreekt")
    longer = _link(chain + [_entry(11)], 10)
    assert verify(longer, KEYS, checkpoint).intact  # entries after the checkpoint are fine


def test_a_chain_that_no_longer_contains_the_checkpoint_head_says_so_without_blaming_the_head():
    chain = _chain(5)
    earlier, checkpoint = _checkpoint(chain[:3]), _checkpoint(chain)
    other = _chain(6)  # the same key, other content (e.g. a restored backup of another history)
    other[3]["after"] = {"n": "anders"}
    _link(other, 3)
    verdict = verify(other, KEYS, checkpoint)
    assert verdict.broken is None and not verdict.intact  # no single entry shows it: entry 5 is not to blame
    (reason,) = verdict.rewritten
    assert f"hash {checkpoint.head_hash[:16]}…) staat niet meer in de keten" in reason
    assert "ergens in regels 1–5; welke regel het eerst afwijkt is niet te zeggen" in reason
    narrowed = verify(other, KEYS, checkpoint, [earlier])  # an earlier checkpoint whose head still holds
    assert "ergens in regels 4–5 (t/m regel 3 klopt de keten met een eerder controlepunt)" in narrowed.rewritten[0]


def _relabelled_and_rewritten(chain: list[dict], changed_seq: int) -> list[dict]:
    """The reviewer's attack: every entry relabelled as version 1, one changed, all rehashed publicly."""
    chain[changed_seq - 1]["after"] = {"n": "herschreven"}
    return _link(chain, key=None)


def test_a_chain_must_end_in_a_keyed_entry_so_relabelling_it_all_as_version_1_is_refused():
    honest = _link(_chain(3, key=None) + [_entry(4), _entry(5)], 3)  # before the key, the marker, a keyed entry
    assert not verify(honest, KEYS).problems
    attacked = _relabelled_and_rewritten(honest, 2)
    verdict = verify(attacked, KEYS)
    assert verdict.broken is None and verdict.problems and verdict.unkeyed == 5
    (reason,) = verdict.rewritten
    assert reason.startswith("de nieuwste regel (5) heeft geen sleutel (versie 1)")
    with_checkpoint = verify(attacked, KEYS, _checkpoint(_link(_chain(3, key=None) + [_entry(4), _entry(5)], 3)))
    assert with_checkpoint.broken is None and len(with_checkpoint.rewritten) == 2
    assert "ergens in regels 1–5" in with_checkpoint.rewritten[0]
    assert not verify(_chain(2, key=None), KEYS).broken  # unkeyed only: every link holds, yet it is refused
    assert verify(_chain(2, key=None), KEYS).rewritten


def test_a_checkpoint_is_authentic_only_with_its_signature_and_a_known_key():
    checkpoint = _checkpoint(_chain(5))
    assert checkpoint_is_authentic(checkpoint, KEYS)
    assert not checkpoint_is_authentic(replace(checkpoint, count=4, head_seq=4), KEYS)
    assert not checkpoint_is_authentic(replace(checkpoint, made_at=MADE_AT + timedelta(days=1)), KEYS)
    assert not checkpoint_is_authentic(_checkpoint(_chain(5), Keyring.of("another-key-0123456789abcdefghijkl")), KEYS)
    assert checkpoint_is_authentic(checkpoint, Keyring.of("a-newer-key-0123456789abcdefghijkl", [KEYS.keys[0].decode()]))


def test_the_hash_does_not_depend_on_key_order_or_time_zone():
    entry = _chain(1)[0]
    reordered = dict(reversed(list(entry.items())))
    amsterdam = {**entry, "occurred_at": entry["occurred_at"].astimezone(ZoneInfo("Europe/Amsterdam"))}
    for digest in (lambda e: unkeyed_hash(e, GENESIS), lambda e: keyed_hash(e, GENESIS, KEYS.current, KEYS.current_id)):
        assert digest(reordered) == digest(entry) == digest(amsterdam)


def test_version_1_is_the_sha256_of_the_canonical_json_that_entries_before_0008_were_hashed_with():
    import hashlib

    entry = _entry(7, before={"b": [1, "é"]}, after=None, request_id="r")
    written = ('{"action":"x.y","actor_label":"a@b.nl","actor_organisation_id":2,"actor_user_id":1,"after":null,'
               '"before":{"b":[1,"é"]},"object_id":"7","object_type":"Initiative",'
               '"occurred_at":"2026-11-23T10:00:07.000000Z","prev_hash":"' + GENESIS + '","request_id":"r","seq":7}')
    assert unkeyed_hash(entry, GENESIS) == hashlib.sha256(written.encode("utf-8")).hexdigest()

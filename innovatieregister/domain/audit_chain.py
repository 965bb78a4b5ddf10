"""The audit trail's chain: tampering with any entry breaks every link after it.

Each entry stores the hash of the previous entry and the hash of its own canonical content
(which includes that previous hash). Canonical means: the fields as JSON with sorted keys,
no whitespace, timestamps in ISO 8601 UTC. Pure: the caller passes the fields and keys in.

Two versions of the link:
- version 1 (UNKEYED): SHA-256 of the content. Anyone who can read this module can recompute
  it, so someone with database access could edit an entry and rehash everything after it.
  Only entries written before migration 0008 are version 1; they are not rehashed, because a
  rehash would be exactly the rewrite of history the chain exists to expose.
- version 2 (KEYED): HMAC-SHA256 with a key that lives in the environment, never in the
  database. The first keyed entry's HMAC covers the last unkeyed hash, so from then on the
  unkeyed entries before it cannot change unnoticed either; a version-1 entry after a
  version-2 one is refused (that would be a downgrade to the public function).

From migration 0008 on a chain always ENDS in a keyed entry: the migration appends one keyed
marker after the unkeyed entries it finds. So a non-empty chain whose newest entry is unkeyed is
refused too; otherwise someone could relabel every entry as version 1, rewrite one and rehash
the whole chain with the public function, and the key would protect nothing.

A chain cannot show entries cut off at its end: a signed checkpoint (count, head seq, head
hash) kept outside the database can. `verify` checks the chain against the latest one; earlier
ones narrow down where a chain that no longer holds a checkpoint's head was rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry
FIELDS = ("seq", "occurred_at", "actor_user_id", "actor_organisation_id", "actor_label", "action",
          "object_type", "object_id", "before", "after", "request_id")
UNKEYED, KEYED = 1, 2  # chain versions (see the module docstring)


def _canonical_value(value):
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        if value.year < 1000:  # isoformat pads the year to four digits, strftime does not
            return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        # The same text as strftime("%Y-%m-%dT%H:%M:%S.%fZ"), several times faster: verifying a
        # trail of a million entries formats a million of these.
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return value


# One encoder for every entry (json.dumps would build one per call).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _canonical(content: Mapping[str, object]) -> bytes:
    return _ENCODER.encode(content).encode("utf-8")


def _content(fields: Mapping[str, object], prev_hash: str) -> dict[str, object]:
    content = {name: fields[name] for name in FIELDS}
    content["occurred_at"] = _canonical_value(content["occurred_at"])  # the one datetime field
    content["prev_hash"] = prev_hash
    return content


def unkeyed_hash(fields: Mapping[str, object], prev_hash: str) -> str:
    """Version 1: the SHA-256 of an entry's canonical content together with the previous hash."""
    return hashlib.sha256(_canonical(_content(fields, prev_hash))).hexdigest()


def keyed_hash(fields: Mapping[str, object], prev_hash: str, key: bytes, key_id: str) -> str:
    """Version 2: the HMAC-SHA256 of the same content, its version and the id of the key used."""
    content = _content(fields, prev_hash)
    content["chain_version"], content["key_id"] = KEYED, key_id
    return hmac.digest(key, _canonical(content), "sha256").hex()


def key_id_of(key: bytes) -> str:
    """A short name for a key, derived from it: stored with each entry so keys can be rotated."""
    return hmac.new(key, b"innovatieregister audit key id", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """The key that signs new entries, then the older keys that still verify, newest first."""

    keys: tuple[bytes, ...]
    ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(key_id_of(key) for key in self.keys))

    @classmethod
    def of(cls, current: str, previous: Sequence[str] = ()) -> Keyring:
        return cls(tuple(k.encode("utf-8") for k in (current, *previous) if k))

    @property
    def current(self) -> bytes:
        return self.keys[0]

    @property
    def current_id(self) -> str:
        return self.ids[0]

    def find(self, key_id: object) -> tuple[int, bytes] | None:
        """(age, key) of the key with this id, age 0 being the current key; None when unknown."""
        for age, (known, key) in enumerate(zip(self.ids, self.keys, strict=True)):
            if known == key_id:  # ids are derived from the keys, not secrets: a plain compare will do
                return age, key
        return None


@dataclass(frozen=True)
class Break:
    seq: int
    entry_id: int
    reason: str


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at a moment, signed with the audit key, kept outside the database."""

    count: int
    head_seq: int
    head_hash: str
    made_at: datetime
    key_id: str
    signature: str = ""

    def signed_content(self) -> bytes:
        # The prefix keeps a checkpoint signature from ever passing for an entry's HMAC.
        return b"innovatieregister audit checkpoint\n" + _canonical({
            "count": self.count, "head_seq": self.head_seq, "head_hash": self.head_hash,
            "made_at": _canonical_value(self.made_at), "key_id": self.key_id})

    def as_dict(self) -> dict[str, object]:
        return {"count": self.count, "head_seq": self.head_seq, "head_hash": self.head_hash,
                "made_at": _canonical_value(self.made_at), "key_id": self.key_id, "signature": self.signature}


def sign_checkpoint(count: int, head_seq: int, head_hash: str, made_at: datetime, keyring: Keyring) -> Checkpoint:
    unsigned = Checkpoint(count, head_seq, head_hash, made_at, keyring.current_id)
    signature = hmac.new(keyring.current, unsigned.signed_content(), hashlib.sha256).hexdigest()
    return Checkpoint(count, head_seq, head_hash, made_at, keyring.current_id, signature)


def checkpoint_is_authentic(checkpoint: Checkpoint, keyring: Keyring) -> bool:
    found = keyring.find(checkpoint.key_id)
    if found is None:
        return False
    expected = hmac.new(found[1], checkpoint.signed_content(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, checkpoint.signature)


@dataclass
class Verdict:
    """What a verification found. Intact only with no problems and a checkpoint reached."""

    checkpoint: Checkpoint | None = None
    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    unkeyed: int = 0  # version-1 entries (written before the chain had a key)
    broken: Break | None = None
    missing: list[str] = field(default_factory=list)  # what the checkpoint shows is gone
    rewritten: list[str] = field(default_factory=list)  # signs of a rewrite that no single entry shows

    @property
    def problems(self) -> bool:
        return self.broken is not None or bool(self.missing) or bool(self.rewritten)

    @property
    def intact(self) -> bool:
        return not self.problems and self.checkpoint is not None


def _range(first: int, last: int) -> str:
    return f"regel {first} ontbreekt" if first == last else f"regels {first}–{last} ontbreken"


def _check_entry(entry: Mapping[str, Any], expected_seq: int, expected_prev: str, keyring: Keyring,
                 newest_key_age: int | None) -> tuple[str | None, int | None]:
    """The reason this entry breaks the chain (or None), and the age of the key it was made with."""
    seq = int(entry["seq"])
    if seq != expected_seq:
        if seq > expected_seq:
            return _range(expected_seq, seq - 1), newest_key_age
        return f"volgnummer {seq} waar {expected_seq} werd verwacht", newest_key_age
    if entry["prev_hash"] != expected_prev:
        return "de verwijzing naar de vorige regel klopt niet (regel ontbreekt of is verplaatst)", newest_key_age
    version = entry["chain_version"]
    if version == UNKEYED:
        if newest_key_age is not None:
            return "regel zonder sleutel (versie 1) na regels met sleutel: de keten is teruggezet", newest_key_age
        digest = unkeyed_hash(entry, expected_prev)
    elif version == KEYED:
        found = keyring.find(entry["key_id"])
        if found is None:
            return f"vastgelegd met een onbekende sleutel (sleutel-id {entry['key_id']})", newest_key_age
        age, key = found
        if newest_key_age is not None and age > newest_key_age:
            return "vastgelegd met een oudere sleutel dan de regel ervoor", newest_key_age
        newest_key_age = age
        digest = keyed_hash(entry, expected_prev, key, str(entry["key_id"]))
    else:
        return f"onbekende ketenversie {version}", newest_key_age
    if not hmac.compare_digest(digest, str(entry["entry_hash"])):
        return "de inhoud is gewijzigd na het vastleggen (of herberekend zonder de juiste sleutel)", newest_key_age
    return None, newest_key_age


def _differs_from_checkpoint(seq: int, last_vouched: int, checkpoint: Checkpoint) -> str:
    where = (f"ergens in regels {last_vouched + 1}–{seq} (t/m regel {last_vouched} klopt de keten met een eerder"
             " controlepunt)") if last_vouched else (
        f"ergens in regels 1–{seq}; welke regel het eerst afwijkt is niet te zeggen, want een controlepunt legt"
        " alleen de kop vast")
    return (f"de kop van het controlepunt van {checkpoint.made_at:%Y-%m-%d %H:%M} UTC (volgnummer {seq}, hash"
            f" {checkpoint.head_hash[:16]}…) staat niet meer in de keten: regel {seq} heeft nu een andere hash."
            f" De keten is herschreven {where}")


def verify(entries: Iterable[Mapping[Any, Any]], keyring: Keyring,
           checkpoint: Checkpoint | None = None, earlier: Iterable[Checkpoint] = ()) -> Verdict:
    """Check a chain given in seq order: every link, every key, that it ends in a keyed entry,
    and that it still holds the checkpoint's head (and those of `earlier` checkpoints, which
    narrow down where a rewritten chain starts to differ).

    Each entry is a mapping with 'id', FIELDS, 'chain_version', 'key_id', 'prev_hash' and
    'entry_hash'. Stops at the first broken entry.
    """
    verdict = Verdict(checkpoint=checkpoint)
    vouched = {c.head_seq: c for c in (*earlier, *([checkpoint] if checkpoint else []))}
    last_vouched, differs_at = 0, None  # the furthest checkpoint head still found; the first one not
    newest_key_age: int | None = None
    newest_version = None
    for entry in entries:
        reason, newest_key_age = _check_entry(entry, verdict.head_seq + 1, verdict.head_hash, keyring,
                                              newest_key_age)
        if reason is not None:
            verdict.broken = Break(int(entry["seq"]), int(entry["id"]), reason)
            return verdict
        verdict.count += 1
        verdict.head_seq, verdict.head_hash = int(entry["seq"]), str(entry["entry_hash"])
        verdict.unkeyed += int(entry["chain_version"] == UNKEYED)
        newest_version = entry["chain_version"]
        if differs_at is None and verdict.head_seq in vouched:
            if hmac.compare_digest(verdict.head_hash, vouched[verdict.head_seq].head_hash):
                last_vouched = verdict.head_seq
            else:
                differs_at = verdict.head_seq
    if differs_at is not None:
        verdict.rewritten.append(_differs_from_checkpoint(differs_at, last_vouched, vouched[differs_at]))
    if newest_version == UNKEYED:
        verdict.rewritten.append(
            f"de nieuwste regel ({verdict.head_seq}) heeft geen sleutel (versie 1), maar sinds migratie 0008"
            " eindigt de keten altijd met een regel met sleutel: de keten is teruggezet naar versie 1 en kan"
            " zonder sleutel zijn herschreven (welke regel gewijzigd is, is zo niet te zeggen)")
    if checkpoint is None:
        if verdict.count == 0:
            verdict.missing.append("het audittrail is leeg (0 regels gevonden)")
        return verdict
    if verdict.head_seq < checkpoint.head_seq:
        verdict.missing.append(
            f"{_range(verdict.head_seq + 1, checkpoint.head_seq)} (laatste controlepunt: {checkpoint.count} regels"
            f" t/m volgnummer {checkpoint.head_seq}, gevonden: {verdict.count})")
    elif verdict.count < checkpoint.count:
        verdict.missing.append(f"laatste controlepunt: {checkpoint.count} regels, gevonden: {verdict.count}")
    return verdict

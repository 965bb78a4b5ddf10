"""The audit trail's hash chain: tampering with any entry breaks every link after it.

Each entry stores the hash of the previous entry and the hash of its own canonical content
(which includes that previous hash). Canonical means: the fields as JSON with sorted keys,
no whitespace, timestamps in ISO 8601 UTC. Pure: the caller passes the fields in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64  # the "previous hash" of the first entry
FIELDS = ("seq", "occurred_at", "actor_user_id", "actor_organisation_id", "actor_label", "action",
          "object_type", "object_id", "before", "after", "request_id")


def _canonical_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def entry_hash(fields: Mapping[str, object], prev_hash: str) -> str:
    """The SHA-256 of an entry's canonical content together with the previous hash."""
    content = {name: _canonical_value(fields[name]) for name in FIELDS}
    content["prev_hash"] = prev_hash
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def verify(entries: Iterable[Mapping[str, object]]) -> Break | None:
    """The first broken entry of a chain given in order, or None when the chain holds.

    Each entry is a mapping with 'id', FIELDS, 'prev_hash' and 'entry_hash', in seq order.
    """
    expected_prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry["seq"] != expected_seq:
            return Break(int(entry["id"]),
                         f"volgnummer {entry['seq']} waar {expected_seq} werd verwacht (regel ontbreekt)")
        expected_seq += 1
        if entry["prev_hash"] != expected_prev:
            return Break(int(entry["id"]),
                         "de verwijzing naar de vorige regel klopt niet (regel ontbreekt of is verplaatst)")
        if entry_hash(entry, expected_prev) != entry["entry_hash"]:
            return Break(int(entry["id"]), "de inhoud is gewijzigd na het vastleggen")
        expected_prev = str(entry["entry_hash"])
    return None

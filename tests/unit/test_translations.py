"""The English catalogue is complete (issue 13): every Dutch text marked for translation in the code
and the templates has its English, with the same placeholders; nothing stale or fuzzy is kept; the
catalogue compiles. `make i18n-extract` brings new texts into the catalogue; a translator fills them."""

from __future__ import annotations

import re
from configparser import ConfigParser
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "innovatieregister" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _keywords() -> dict:
    """The keywords `make i18n-extract` passes (one list: read from the Makefile)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^I18N_KEYWORDS := (.+)$", makefile, re.M)
    assert found, "Makefile: I18N_KEYWORDS"
    return parse_keywords([spec.strip() for spec in found.group(1).split("-k")[1:]])


def _extracted() -> dict[tuple[str, str | None], str]:
    """{(msgid (singular), context): where} for every marked text, as `make i18n-extract` finds them."""
    config = ConfigParser()
    config.read(ROOT / "babel.cfg")
    method_map = [(section.split(":", 1)[1].strip(), section.split(":", 1)[0].strip())
                  for section in config.sections()]
    options_map = {section.split(":", 1)[1].strip(): dict(config.items(section)) for section in config.sections()}
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map=method_map, options_map=options_map, keywords=_keywords()):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="en")


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_every_marked_text_has_its_english(catalogue, extracted):
    missing = []
    for (msgid, context), where in sorted(extracted.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        message = catalogue.get(msgid, context=context)
        strings = message.string if message is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or not all(s.strip() for s in strings) or message.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{len(missing)} texts without English (run make i18n-extract):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*map(_placeholders, ids))
        wrong += [f"{ids[0]!r} → {s!r}" for s in strings if s and _placeholders(s) != wanted]
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_holds_nothing_stale(catalogue, extracted):
    kept = [((m.id if isinstance(m.id, str) else m.id[0]), m.context) for m in catalogue if m.id]
    stale = [msgid for msgid, context in kept if (msgid, context) not in extracted]
    assert not stale, "no longer in the code (run make i18n-extract):\n" + "\n".join(map(repr, stale))
    assert not catalogue.obsolete


def test_the_catalogue_compiles(catalogue):
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    assert compiled.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")

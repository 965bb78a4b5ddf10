"""Importing regional market shares: everything is checked first, then all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, MarketShare, MarketShareSet
from innovatieregister.services import Conflict, Invalid
from innovatieregister.services.audit import Actor
from innovatieregister.services.market_shares import import_market_shares, markets_in_force
from tests.conftest import count_rows

ACTOR = Actor.command("test")
GOOD = """regio,verzekeraar,verzekerden
ZK22,MENZIS,300
ZK22,ACHMEA,200
ZK22,VGZ,100
Groningen,Menzis,10
"""


def _import(text: str, peildatum=date(2026, 1, 1), source="Vektis 2026"):
    return import_market_shares(text, peildatum, source, ACTOR)


def _unchanged(ctx):
    return (count_rows(ctx, MarketShareSet), count_rows(ctx, MarketShare), count_rows(ctx, AuditEntry))


def test_a_good_file_becomes_one_new_set_with_its_peildatum_and_source(refdata, ctx):
    share_set = _import(GOOD)
    assert share_set.peildatum == date(2026, 1, 1)
    assert share_set.source == "Vektis 2026"
    assert share_set.imported_by == "command: test"
    assert share_set.illustrative is False
    assert count_rows(ctx, MarketShare) == 4
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "market_shares.import"))
    assert entry.after["rows"] == 4 and entry.after["regions"] == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ZK22,MENZIS,300\nZK99,VGZ,5\n", ["Regel 3: onbekende regio 'ZK99'."]),
        ("ZK22,MENZIS,300\nZK22,Zilverkruis,5\n", ["Regel 3: onbekende zorgverzekeraar 'Zilverkruis'."]),
        ("ZK22,MENZIS,300\nZK22,VGZ,-5\n", ["Regel 3: aantal verzekerden -5 is negatief."]),
        ("ZK22,MENZIS,300\nZK22,VGZ,12.5\n", ["Regel 3: aantal verzekerden '12.5' is geen geheel getal."]),
        ("ZK22,MENZIS,300\nZK22,VGZ,veel\n", ["Regel 3: aantal verzekerden 'veel' is geen geheel getal."]),
        ("ZK22,MENZIS,300\nZK22,VGZ,\n", ["Regel 3: aantal verzekerden '' is geen geheel getal."]),
        ("ZK22,MENZIS,300\nZK22,VGZ,4\nZK22,menzis,7\n",
         ["Regel 4: dubbele regel: ZK22 / MENZIS staat ook op regel 2."]),
        ("ZK22,MENZIS,300\nZK09,VGZ,0\nZK09,CZ,0\n",
         ["Regel 3, 4: regio ZK09 heeft in totaal geen verzekerden."]),
        ("ZK22,MENZIS\n", ["Regel 2: 2 velden, verwacht 3."]),
        ("ZK22,MENZIS,5,6,7\n", ["Regel 2: 5 velden, verwacht 3."]),
        ("ZK22,MENZIS,\u0665\n", ["Regel 2: aantal verzekerden '\u0665' is geen geheel getal."]),
    ],
    ids=["unknown-region", "unknown-insurer", "negative", "decimal", "text", "empty-count",
         "duplicate", "region-without-insured", "short-line", "extra-fields", "arabic-indic-digit"],
)
def test_each_bad_line_is_reported_with_its_line_number_and_nothing_is_imported(
    refdata, ctx, body, expected
):
    before = _unchanged(ctx)
    with pytest.raises(Invalid) as raised:
        _import("regio,verzekeraar,verzekerden\n" + body)
    assert raised.value.field_errors["file"] == expected
    assert "Niets geïmporteerd" in raised.value.message
    assert _unchanged(ctx) == before


def test_every_bad_line_of_a_file_is_reported_at_once(refdata, ctx):
    text = "regio,verzekeraar,verzekerden\nZK22,MENZIS,1\nZK99,VGZ,1\nZK22,ACME,x\nZK22,MENZIS,2\n"
    with pytest.raises(Invalid) as raised:
        _import(text)
    errors = raised.value.field_errors["file"]
    assert [e.split(":")[0] for e in errors] == ["Regel 3", "Regel 4", "Regel 5"]
    assert "onbekende zorgverzekeraar 'ACME'" in errors[1] and "geen geheel getal" in errors[1]
    assert count_rows(ctx, MarketShare) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Het bestand is leeg."),
        ("regio,verzekeraar\nZK22,MENZIS\n", "Regel 1: kolom 'verzekerden' ontbreekt"),
        ("regio,verzekeraar,verzekerden\n", "Het bestand bevat geen regels met marktaandelen."),
    ],
)
def test_a_file_without_usable_content_is_refused(refdata, ctx, text, expected):
    with pytest.raises(Invalid) as raised:
        _import(text)
    assert raised.value.field_errors["file"][0].startswith(expected)
    assert count_rows(ctx, MarketShareSet) == 0


def test_a_source_is_required(refdata, ctx):
    with pytest.raises(Invalid) as raised:
        _import(GOOD, source="  ")
    assert "bron ontbreekt" in raised.value.field_errors["file"][0]
    assert count_rows(ctx, MarketShareSet) == 0


def test_semicolons_a_byte_order_mark_and_names_instead_of_codes_are_accepted(refdata, ctx):
    text = "\ufeffRegio;Verzekeraar;Verzekerden\nTwente;Menzis;5\nTwente;Zorg en Zekerheid;3\n"
    share_set = _import(text)
    assert count_rows(ctx, MarketShare) == 2
    assert share_set.id is not None


def test_the_same_peildatum_is_refused_and_the_existing_set_is_untouched(refdata, ctx):
    first = _import(GOOD)
    before = _unchanged(ctx)
    with pytest.raises(Conflict) as raised:
        _import(GOOD.replace("300", "999"))
    assert "nooit overschreven" in raised.value.message
    assert _unchanged(ctx) == before
    insured = ctx.session.scalars(sa.select(MarketShare.insured).where(MarketShare.set_id == first.id))
    assert 999 not in set(insured)


def test_a_new_peildatum_makes_a_new_set_and_the_old_one_keeps_its_numbers(refdata, ctx):
    old = _import(GOOD, peildatum=date(2025, 1, 1))
    new = _import(GOOD.replace("ZK22,VGZ,100", "ZK22,VGZ,900"), peildatum=date(2026, 1, 1))
    assert old.id != new.id
    old_vgz = ctx.session.scalars(sa.select(MarketShare.insured).where(MarketShare.set_id == old.id))
    assert sorted(old_vgz) == [10, 100, 200, 300]
    twente = ctx.session.scalar(sa.text("SELECT id FROM regions WHERE code = 'ZK22'"))
    # In force on a date picks the latest set on or before that date.
    assert markets_in_force(date(2025, 6, 1))[twente].share_set.id == old.id
    in_force = markets_in_force(date(2026, 6, 1))[twente]
    assert in_force.share_set.id == new.id
    assert [i.code for i in in_force.leads] == ["VGZ", "MENZIS"]
    assert markets_in_force(date(2024, 12, 31)) == {}


def test_the_database_refuses_a_second_row_for_the_same_region_and_insurer(refdata, ctx):
    share_set = _import(GOOD)
    row = ctx.session.scalar(sa.select(MarketShare).where(MarketShare.set_id == share_set.id))
    ctx.session.add(MarketShare(set_id=share_set.id, region_id=row.region_id,
                                insurer_id=row.insurer_id, insured=1))
    with pytest.raises(sa.exc.IntegrityError):
        ctx.session.flush()
    ctx.session.rollback()


def test_a_trailing_separator_as_spreadsheets_write_it_is_accepted(refdata, ctx):
    market_set = _import("regio;verzekeraar;verzekerden;\nZK22;MENZIS;300;\nZK22;VGZ;100;\n")
    assert len(market_set.shares) == 2

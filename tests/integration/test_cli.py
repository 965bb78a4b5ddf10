"""The flask commands for scripts and first set-up."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, MarketShare, MarketShareSet, User
from tests.conftest import count_rows


def test_refdata_load_reports_what_it_added_and_nothing_the_second_time(app, database):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["refdata", "load"])
    assert first.exit_code == 0, first.output
    assert "31 regio's, 403 gemeenten, 10 zorgverzekeraars en 7 afwijzingscriteria toegevoegd" in first.output
    second = runner.invoke(args=["refdata", "load"])
    assert "0 regio's, 0 gemeenten, 0 zorgverzekeraars en 0 afwijzingscriteria" in second.output


def test_marketshares_import_reads_a_file_with_peildatum_and_source(app, refdata, tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text("regio,verzekeraar,verzekerden\nZK22,MENZIS,10\nZK22,VGZ,5\n", "utf-8")
    result = app.test_cli_runner().invoke(
        args=["marketshares", "import", str(path), "--peildatum", "2026-01-01", "--bron", "Vektis"]
    )
    assert result.exit_code == 0, result.output
    assert "peildatum 2026-01-01" in result.output
    with app.app_context():
        share_set = refdata.session.scalar(sa.select(MarketShareSet))
        assert share_set.source == "Vektis"
        assert share_set.imported_by == "command: flask marketshares import shares.csv"


def test_marketshares_import_of_a_bad_file_lists_the_lines_and_exits_non_zero(app, refdata, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("regio,verzekeraar,verzekerden\nZK22,MENZIS,10\nZK77,VGZ,-1\n", "utf-8")
    result = app.test_cli_runner().invoke(
        args=["marketshares", "import", str(path), "--peildatum", "2026-01-01", "--bron", "x"]
    )
    assert result.exit_code == 1
    assert "Regel 3: onbekende regio 'ZK77'; aantal verzekerden -1 is negatief." in result.output
    with app.app_context():
        assert count_rows(refdata, MarketShare) == 0


def test_marketshares_import_refuses_a_file_that_is_not_utf8(app, refdata, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("regio,verzekeraar,verzekerden\nZK22,MENZIS,1\n# Coöperatie\n".encode("latin-1"))
    result = app.test_cli_runner().invoke(
        args=["marketshares", "import", str(path), "--peildatum", "2026-01-01", "--bron", "x"]
    )
    assert result.exit_code == 1
    assert "geen UTF-8" in result.output


def test_users_create_and_list(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Nieuw@VGZ.nl", "--organisation", "VGZ",
                                 "--role", "insurer_staff", "--password", "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"])
    assert "nieuw@vgz.nl" in listing.output and "VGZ" in listing.output
    with app.app_context():
        user = demo.session.scalar(sa.select(User).where(User.email == "nieuw@vgz.nl"))
        assert user.organisation.code == "VGZ"
        assert user.password_hash != "een-lang-wachtwoord"
        assert demo.session.scalar(sa.select(AuditEntry).where(
            AuditEntry.action == "user.create", AuditEntry.object_id == str(user.id))) is not None


def test_users_create_prompts_for_the_password(app, demo):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "prompt@cz.nl", "--organisation", "CZ", "--role", "insurer_staff"],
        input="een-lang-wachtwoord\neen-lang-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output


def test_users_create_refuses_a_role_that_does_not_fit_the_organisation(app, demo):
    before_users = None
    with app.app_context():
        before_users = count_rows(demo, User)
    runner = app.test_cli_runner()
    wrong_kind = runner.invoke(args=["users", "create", "x@vgz.nl", "--organisation", "VGZ",
                                     "--role", "provider_staff", "--password", "een-lang-wachtwoord"])
    assert wrong_kind.exit_code == 1
    assert "hoort bij een organisatie van het soort zorgaanbieder, niet bij" in wrong_kind.output
    short = runner.invoke(args=["users", "create", "y@vgz.nl", "--organisation", "VGZ",
                                "--role", "insurer_staff", "--password", "kort"])
    assert "minstens 12 tekens" in short.output
    unknown = runner.invoke(args=["users", "create", "z@x.nl", "--organisation", "Bestaat Niet",
                                  "--role", "insurer_staff", "--password", "een-lang-wachtwoord"])
    assert "Organisatie 'Bestaat Niet' bestaat niet." in unknown.output
    duplicate = runner.invoke(args=["users", "create", "menzis@demo.nl", "--organisation", "MENZIS",
                                    "--role", "insurer_staff", "--password", "een-lang-wachtwoord"])
    assert "bestaat al" in duplicate.output
    with app.app_context():
        assert count_rows(demo, User) == before_users


def test_demo_load_prints_the_demo_log_ins(app, database):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "menzis@demo.nl" in result.output and "demo-wachtwoord-2026" in result.output
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert "niets veranderd" in again.output


def test_users_token_prints_a_working_token(app, demo):
    result = app.test_cli_runner().invoke(args=["users", "token", "vgz@demo.nl"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert raw.startswith("ir_")
    response = app.test_client().get("/api/v1/follow-requests", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    unknown = app.test_cli_runner().invoke(args=["users", "token", "niemand@demo.nl"])
    assert unknown.exit_code == 1 and "geen gebruiker" in unknown.output

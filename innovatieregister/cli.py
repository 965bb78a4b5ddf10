"""Flask commands for scripts and first set-up."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from innovatieregister.services import ServiceError

refdata_cli = AppGroup("refdata", help="Referentiedata (regio's, gemeenten, verzekeraars).")
marketshares_cli = AppGroup("marketshares", help="Regionale marktaandelen.")
demo_cli = AppGroup("demo", help="Het demoscenario.")
users_cli = AppGroup("users", help="Gebruikers.")
audit_cli = AppGroup("audit", help="Het audittrail.")
jobs_cli = AppGroup("jobs", help="Geplande taken (termijnen, herinneringen, e-mail).")
scheduler_cli = AppGroup("scheduler", help="Het ene schedulerproces.")
registry_cli = AppGroup("registry", help="Het register (de opgeslagen verspreiding per initiatief).")


@jobs_cli.command("run-due")
def jobs_run_due() -> None:
    """Voer alle taken één keer uit (voor cron); alles wat verlopen is wordt ingehaald."""
    from innovatieregister import clock
    from innovatieregister.jobs import run_due

    for name, count in run_due(clock.now()).items():
        click.echo(f"{name}: {count}")


@scheduler_cli.command("run")
@click.option("--once", is_flag=True, help="Eén ronde (met lease) en stoppen.")
def scheduler_run(once: bool) -> None:
    """Start het schedulerproces (één per installatie; een tweede blijft stil wachten)."""
    from datetime import timedelta

    from flask import current_app

    from innovatieregister.jobs.lease import Lease, holder_name
    from innovatieregister.jobs.scheduler import run_scheduler, tick

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as the Flask app
    if once:
        lease = Lease(holder_name(), timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"]))
        try:
            report = tick(app, lease)
        finally:
            lease.release()
        click.echo("Een andere scheduler heeft de lease; niets gedaan." if report is None else str(report))
        return
    click.echo(f"Scheduler gestart (elke {app.config['SCHEDULER_INTERVAL_SECONDS']} s; stoppen met SIGTERM of Ctrl+C).")
    run_scheduler(app)
    click.echo("Scheduler gestopt; de lease is vrijgegeven.")


def _report_problems(verdict) -> None:
    if verdict.broken:
        click.echo(f"Audittrail GEBROKEN bij regel {verdict.broken.seq} (id {verdict.broken.entry_id}):"
                   f" {verdict.broken.reason}.", err=True)
    for missing in verdict.missing:
        click.echo(f"Audittrail ONVOLLEDIG: {missing}.", err=True)
    for rewritten in verdict.rewritten:
        click.echo(f"Audittrail NIET TE VERTROUWEN: {rewritten}.", err=True)


def _unkeyed_note(verdict) -> str:
    return (f"; waarvan {verdict.unkeyed} van vóór de sleutel (versie 1, alleen beschermd door de regels erna)"
            if verdict.unkeyed else "")


@audit_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Dit controlepunt in plaats van het laatste in AUDIT_CHECKPOINT_DIR.")
def audit_verify(checkpoint_file: Path | None) -> None:
    """Controleer de keten en dat ze het laatste controlepunt nog bevat.

    Exitcode 0: intact t/m het controlepunt; 1: gebroken, ingekort, leeg, herschreven (ook: eindigt
    zonder sleutel) of een vals controlepunt;
    2: de keten klopt, maar zonder controlepunt is niet te bewijzen dat er aan het eind niets ontbreekt.
    """
    from innovatieregister.formatting import number
    from innovatieregister.services.audit_trail import CheckpointError, all_checkpoints, read_checkpoint, verify_chain

    try:
        checkpoints = [read_checkpoint(checkpoint_file)] if checkpoint_file else all_checkpoints()
    except CheckpointError as error:
        click.echo(f"Fout: {error}.", err=True)
        raise SystemExit(1) from error
    started = time.perf_counter()  # a duration, not the time of day: how fast the trail streams
    verdict = verify_chain(checkpoints)
    seconds = time.perf_counter() - started
    click.echo(f"Gelezen en gecontroleerd: {verdict.count} regels in {seconds:.1f} s".replace(".", ",")
               + f" ({number(round(verdict.count / max(seconds, 1e-6)))} regels per seconde).")
    checkpoint = verdict.checkpoint
    if verdict.problems:
        _report_problems(verdict)
        raise SystemExit(1)
    if checkpoint is None:
        click.echo(f"Keten klopt: {verdict.count} regels{_unkeyed_note(verdict)}. Maar er is geen controlepunt, dus"
                   " niet te bewijzen dat er aan het eind geen regels ontbreken; maak er een met"
                   " `flask audit checkpoint`.", err=True)
        raise SystemExit(2)
    click.echo(f"Audittrail intact: {verdict.count} regels{_unkeyed_note(verdict)}, keten ongebroken en volledig"
               f" t/m het controlepunt van {checkpoint.made_at:%Y-%m-%d %H:%M} UTC ({checkpoint.count} regels).")


@audit_cli.command("checkpoint")
@click.option("--to", "target", type=click.Path(path_type=Path),
              help="Map of .json-bestand; standaard AUDIT_CHECKPOINT_DIR (instance/audit-checkpoints).")
def audit_checkpoint(target: Path | None) -> None:
    """Leg de kop en het aantal regels van de keten ondertekend vast, buiten de database.

    Alleen als de keten klopt (ook tegen het vorige controlepunt). Bewaar de uitvoer ook elders
    (bijvoorbeeld per e-mail): wie de database kan wijzigen, mag niet ook alle controlepunten kunnen wissen.
    """
    from innovatieregister.services.audit_trail import CheckpointError, make_checkpoint

    try:
        verdict, checkpoint, path = make_checkpoint(target)
    except CheckpointError as error:
        click.echo(f"Fout: {error}.", err=True)
        raise SystemExit(1) from error
    if checkpoint is None:
        click.echo("Geen controlepunt gemaakt: het audittrail is niet in orde.", err=True)
        _report_problems(verdict)
        raise SystemExit(1)
    click.echo(f"Controlepunt geschreven naar {path}: {checkpoint.count} regels, kop volgnummer"
               f" {checkpoint.head_seq}.")
    click.echo(json.dumps(checkpoint.as_dict(), indent=2))


def _fail(error: ServiceError) -> None:
    click.echo(f"Fout: {error.message}", err=True)
    for field, messages in error.field_errors.items():
        for message in messages:
            click.echo(f"  {field}: {message}", err=True)
    raise SystemExit(1)


@refdata_cli.command("load")
def refdata_load() -> None:
    """Laad regio's, gemeenten en zorgverzekeraars uit de meegeleverde bestanden."""
    from innovatieregister.services.audit import Actor
    from innovatieregister.services.refdata import load_reference_data

    click.echo(str(load_reference_data(Actor.command("flask refdata load"))))


@marketshares_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--peildatum", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Peildatum van de cijfers (JJJJ-MM-DD).")
@click.option("--bron", "source", required=True, help="Bron van de cijfers.")
def marketshares_import(path: Path, peildatum, source: str) -> None:
    """Importeer regionale marktaandelen uit een CSV (regio, verzekeraar, verzekerden)."""
    from innovatieregister.services.audit import Actor
    from innovatieregister.services.market_shares import import_market_shares

    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        click.echo("Fout: het bestand is geen UTF-8-tekst.", err=True)
        raise SystemExit(1) from None
    try:
        share_set = import_market_shares(
            text, date.fromordinal(peildatum.toordinal()), source,
            Actor.command(f"flask marketshares import {path.name}"),
        )
    except ServiceError as error:
        _fail(error)
    click.echo(f"Geïmporteerd: set {share_set.id}, peildatum {share_set.peildatum.isoformat()}.")


@demo_cli.command("load")
def demo_load() -> None:
    """Laad het demoscenario (idempotent) en toon de demo-log-ins."""
    from innovatieregister.services.demo import DEMO_PASSWORD, USERS, load_demo

    click.echo(str(load_demo()))
    click.echo(f"\nDemo-log-ins (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
    for email, name, org_code, _role in USERS:
        click.echo(f"  {email:<24} {name} [{org_code}]")


@users_cli.command("create")
@click.argument("email")
@click.option("--organisation", "organisation", required=True, help="Naam of code.")
@click.option("--role", required=True,
              type=click.Choice(["insurer_staff", "provider_staff", "mediator", "admin"]))
@click.option("--name", default="", help="Volledige naam.")
@click.password_option("--password", prompt="Wachtwoord", confirmation_prompt=True)
def users_create(email: str, organisation: str, role: str, name: str, password: str) -> None:
    """Maak een gebruiker aan."""
    from innovatieregister.services.accounts import create_user
    from innovatieregister.services.audit import Actor

    try:
        user = create_user(email, name, organisation, role, password,
                           Actor.command("flask users create"))
    except ServiceError as error:
        _fail(error)
    click.echo(f"Gebruiker {user.email} aangemaakt ({user.role.value}, {user.organisation.name}).")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="script", help="Naam van het token.")
def users_token(email: str, name: str) -> None:
    """Maak een API-token voor een gebruiker en druk het af (alleen nu zichtbaar)."""
    import sqlalchemy as sa

    from innovatieregister import clock
    from innovatieregister.extensions import db
    from innovatieregister.models import User
    from innovatieregister.services.audit import Actor
    from innovatieregister.services.tokens import create_token

    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        click.echo(f"Fout: geen gebruiker met e-mailadres {email}.", err=True)
        raise SystemExit(1)
    try:
        _, raw = create_token(user, name, clock.now(), Actor.command("flask users token"))
    except ServiceError as error:
        _fail(error)
    click.echo(raw)


@users_cli.command("list")
def users_list() -> None:
    """Toon alle gebruikers."""
    from innovatieregister.services.accounts import list_users

    for user in list_users():
        state = "actief" if user.active else "geblokkeerd"
        click.echo(f"{user.email:<30} {user.role.value:<15} {user.organisation.code:<20} {state}")


@registry_cli.command("check")
@click.option("--fix", is_flag=True, help="Schrijf de herberekende waarden weg.")
def registry_check(fix: bool) -> None:
    """Herbereken wat het register opslaat voor de lijsten en cijfers (per origineel de regio's en
    financierende verzekeraars, per initiatief het toegezegde bedrag, per verzoek de datum van het
    eerste besluit en de werkdagen ernaartoe) en vergelijk het met wat is opgeslagen.
    Exitcode 0: gelijk (of hersteld met --fix); 1: verschil."""
    from innovatieregister.services import committed, decision_times, write_transaction
    from innovatieregister.services.spread import mismatches, recount

    different = mismatches()
    for origin, stored, fresh in different[:20]:
        click.echo(f"Initiatief {origin}: opgeslagen {stored[0]} regio's, {stored[1]} verzekeraars;"
                   f" herberekend {fresh[0]}, {fresh[1]}.", err=True)
    committed_different = committed.mismatches()
    for initiative_id, stored_part, fresh_part in committed_different[:20]:
        click.echo(f"Initiatief {initiative_id}: opgeslagen toegezegd {stored_part}; herberekend {fresh_part}.",
                   err=True)
    first_different = decision_times.mismatches()
    for request_id, stored_first, fresh_first in first_different[:20]:
        click.echo(f"Verzoek {request_id}: opgeslagen eerste besluit {stored_first[0]}, {stored_first[1]} werkdagen;"
                   f" herberekend {fresh_first[0]}, {fresh_first[1]}.", err=True)
    found = len(different) + len(committed_different) + len(first_different)
    if found and fix:
        with write_transaction():
            recount([origin for origin, _stored, _fresh in different])
            committed.recompute([initiative_id for initiative_id, _stored, _fresh in committed_different])
            decision_times.recompute([request_id for request_id, _stored, _fresh in first_different])
        click.echo(f"{found} opgeslagen waarden hersteld.")
    elif found:
        raise SystemExit(1)
    else:
        click.echo("Wat het register opslaat voor de lijsten en cijfers klopt.")


def register_commands(app: Flask) -> None:
    for group in (refdata_cli, marketshares_cli, demo_cli, users_cli, audit_cli, jobs_cli, scheduler_cli,
                  registry_cli):
        app.cli.add_command(group)

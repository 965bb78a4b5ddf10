"""Innovatieregister: the registry for the insurers' follow policy on JZOJP and innovation."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | str | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, error handlers. Nothing else:
    no migrations, no scheduler, no network."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.from_object(config or "config.Config")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'innovatieregister.db'}"
        )
    _normalise_postgres_url(app)

    from innovatieregister.startup_checks import refuse_unsafe_production

    refuse_unsafe_production(app)

    from innovatieregister import database  # noqa: F401  (engine event listeners)
    from innovatieregister.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    from innovatieregister import i18n

    babel.init_app(app, default_locale=i18n.DEFAULT_LANGUAGE, locale_selector=i18n.select_locale,
                   timezone_selector=lambda: "Europe/Amsterdam")
    i18n.init_app(app)
    login_manager.init_app(app)

    from innovatieregister import errors, formatting, inputs, security

    security.init_app(app)
    inputs.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)

    from innovatieregister.account.views import bp as account_bp
    from innovatieregister.admin.views import bp as admin_bp
    from innovatieregister.adoption.views import bp as adoption_bp
    from innovatieregister.api import bp as api_bp
    from innovatieregister.auth.views import bp as auth_bp
    from innovatieregister.cofunding.views import bp as cofunding_bp
    from innovatieregister.dashboards.views import bp as dashboards_bp
    from innovatieregister.decisions.views import bp as decisions_bp
    from innovatieregister.initiatives.views import bp as initiatives_bp
    from innovatieregister.lifecycle.views import bp as lifecycle_bp
    from innovatieregister.main.views import bp as main_bp
    from innovatieregister.mediation.views import bp as mediation_bp
    from innovatieregister.monitoring.views import bp as monitoring_bp
    from innovatieregister.publication.views import bp as publication_bp
    from innovatieregister.regional_plans.views import bp as regional_plans_bp
    from innovatieregister.regions.views import bp as regions_bp
    from innovatieregister.savings.views import bp as savings_bp
    from innovatieregister.settlements.views import bp as settlements_bp

    for blueprint in (auth_bp, main_bp, regions_bp, initiatives_bp, decisions_bp, adoption_bp,
                      mediation_bp, lifecycle_bp, monitoring_bp, cofunding_bp, settlements_bp, savings_bp,
                      dashboards_bp, account_bp, admin_bp, api_bp, regional_plans_bp, publication_bp):
        app.register_blueprint(blueprint)

    from innovatieregister.cli import register_commands

    register_commands(app)
    return app


def _normalise_postgres_url(app: Flask) -> None:
    """Accept the usual postgres:// and postgresql:// URLs and use psycopg 3 for them."""
    url: str = app.config["SQLALCHEMY_DATABASE_URI"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len(prefix):]

"""What the app refuses to start without in production.

Outside development and the tests a missing or development secret is a hole anyone can walk
through (a forged session cookie with the public development key is an admin session), so
`create_app` stops with the list of what is wrong instead of serving.
"""

from __future__ import annotations

from flask import Flask

from config import AUDIT_KEY_MIN_LENGTH, DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_SECRET_KEY

RELAXED_ENVIRONMENTS = {"development", "test"}


class UnsafeConfiguration(RuntimeError):
    pass


def problems(config) -> list[str]:
    """Every reason the configuration is unsafe for production, in the operator's words."""
    found = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY:
        found.append("SECRET_KEY is niet gezet (of is de ontwikkelwaarde): zet een lange willekeurige waarde")
    audit_key = config.get("AUDIT_KEY") or ""
    if audit_key == DEVELOPMENT_AUDIT_KEY or len(audit_key) < AUDIT_KEY_MIN_LENGTH:
        # With the public development key anyone with database access could rewrite the audit trail.
        found.append(f"AUDIT_KEY is niet gezet (of is de ontwikkelwaarde, of korter dan {AUDIT_KEY_MIN_LENGTH} tekens):"
                     " zet een lange willekeurige waarde die niet in de database staat")
    return found


def refuse_unsafe_production(app: Flask) -> None:
    if app.config.get("ENVIRONMENT") in RELAXED_ENVIRONMENTS or app.debug or app.testing:
        return
    found = problems(app.config)
    if found:
        raise UnsafeConfiguration(
            "Innovatieregister start niet in productie (INNOVATIEREGISTER_ENV=development voor ontwikkelen):\n- "
            + "\n- ".join(found))

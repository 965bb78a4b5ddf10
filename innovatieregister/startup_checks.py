"""What the app refuses to start without in production.

Outside development and the tests a missing or development secret is a hole anyone can walk
through (a forged session cookie with the public development key is an admin session), so
`create_app` stops with the list of what is wrong instead of serving.
"""

from __future__ import annotations

from flask import Flask

from config import AUDIT_KEY_MIN_LENGTH, DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_SECRET_KEY, SECRET_KEY_MIN_LENGTH

RELAXED_ENVIRONMENTS = {"development", "test"}


class UnsafeConfiguration(RuntimeError):
    pass


def problems(config) -> list[str]:
    """Every reason the configuration is unsafe for production, in the operator's words."""
    found = []
    secret_key = config.get("SECRET_KEY") or ""
    if secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < SECRET_KEY_MIN_LENGTH:
        # A short key can be guessed offline from one session cookie; then sessions can be forged.
        found.append(f"SECRET_KEY is niet gezet (of is de ontwikkelwaarde, of korter dan {SECRET_KEY_MIN_LENGTH}"
                     " tekens): zet een lange willekeurige waarde")
    audit_key = config.get("AUDIT_KEY") or ""
    if audit_key == DEVELOPMENT_AUDIT_KEY or len(audit_key) < AUDIT_KEY_MIN_LENGTH:
        # With the public development key anyone with database access could rewrite the audit trail.
        found.append(f"AUDIT_KEY is niet gezet (of is de ontwikkelwaarde, of korter dan {AUDIT_KEY_MIN_LENGTH} tekens):"
                     " zet een lange willekeurige waarde die niet in de database staat")
    return found


def refuse_unsafe_production(app: Flask) -> None:
    # Only the environment setting relaxes this, never a debug flag (FLASK_DEBUG=1 under gunicorn
    # must not bring the public development keys back).
    if app.config.get("ENVIRONMENT") in RELAXED_ENVIRONMENTS:
        return
    found = problems(app.config)
    if found:
        raise UnsafeConfiguration(
            "Innovatieregister start niet in productie (INNOVATIEREGISTER_ENV=development voor ontwikkelen):\n- "
            + "\n- ".join(found))

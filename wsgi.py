"""WSGI entry point: `gunicorn wsgi:app`."""

from innovatieregister import create_app

app = create_app()

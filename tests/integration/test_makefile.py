"""The Makefile's promises: `make run PORT=…` serves there and mail links follow; `make demo-reset`
rebuilds only the demo database. Checked with `make -n` (nothing runs) and make's own variables."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args: str, env: dict[str, str] | None = None) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_URL", "PORT", "MAKEFLAGS")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env={**environment, **(env or {})},
                          capture_output=True, text=True, check=True, timeout=60).stdout


def _public_url(*args: str, env: dict[str, str] | None = None) -> str:
    return _make("-s", "--eval", "show-public-url: ; @echo $$PUBLIC_URL", "show-public-url", *args, env=env).strip()


def test_make_run_serves_on_the_port_given_and_mail_links_follow_it():
    assert "--port 5055" in _make("-n", "run", "PORT=5055")
    assert "--port 5000" in _make("-n", "run")
    assert _public_url("PORT=5055") == "http://127.0.0.1:5055"
    assert _public_url() == "http://127.0.0.1:5000"
    assert _public_url("PORT=5055", env={"PUBLIC_URL": "https://register.example"}) == "https://register.example"


def test_demo_reset_rebuilds_the_demo_database_and_keeps_the_virtual_environment():
    plan = _make("-n", "demo-reset")
    assert "rm -rf instance/innovatieregister.db* instance/audit-checkpoints" in plan
    assert "flask db upgrade" in plan and "flask demo load" in plan
    removals = [line for line in plan.splitlines() if line.startswith("rm ")]
    assert removals and not any(".venv" in line for line in removals)  # the virtual environment stays

"""Production mode refuses to start half-configured, and passes Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3y-" + "".join(chr(ord("a") + (n * 7) % 26) for n in range(60))


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("SERVICENAV_")
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", SERVICENAV_ENV="production", SERVICENAV_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SERVICENAV_SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SERVICENAV_ENV="production", SERVICENAV_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "SERVICENAV_ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_refuses_debug():
    result = manage(
        "check",
        SERVICENAV_ENV="production",
        SERVICENAV_DEBUG="true",
        SERVICENAV_SECRET_KEY=STRONG_KEY,
        SERVICENAV_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "SERVICENAV_DEBUG cannot be on in production" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SERVICENAV_ENV", "staging", "SERVICENAV_ENV must be one of development, production"),
        ("SERVICENAV_EMAIL_PORT", "twenty-five", "SERVICENAV_EMAIL_PORT must be a whole number"),
        ("SERVICENAV_EMAIL_USE_TLS", "maybe", "SERVICENAV_EMAIL_USE_TLS must be true or false"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(name, value, message):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_complete_production_configuration_passes_the_deploy_checks_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SERVICENAV_ENV="production",
        SERVICENAV_SECRET_KEY=STRONG_KEY,
        SERVICENAV_ALLOWED_HOSTS="servicenav.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

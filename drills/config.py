"""Sizes and lengths of the drills, from the environment (for shorter trial runs).

DRILL_CASES: cases the concurrency drill sends, on each database (default 20,000, the
issue's figure). DRILL_CLIENTS: clients sending at once (default 16, half through the web
form, half through Open311).
DRILL_PHASE_SECONDS: how long the crash drill submits between kills (default 8).
DRILL_OUTAGE_SECONDS: how long the SMTP server is down (default 40). DRILL_MAIL_CASES:
cases sent during the outage (default 120; staff answer half of them)."""

from __future__ import annotations

import os


def env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip().replace("_", "")
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise SystemExit(f"{name} must be a whole number above 0, not {text!r}.")
    return int(text)


def cases() -> int:
    return env_int("DRILL_CASES", 20_000)


CLIENTS = env_int("DRILL_CLIENTS", 16)
PHASE_SECONDS = env_int("DRILL_PHASE_SECONDS", 8)
OUTAGE_SECONDS = env_int("DRILL_OUTAGE_SECONDS", 40)
MAIL_CASES = env_int("DRILL_MAIL_CASES", 120)

"""`python -m drills [sqlite] [postgresql] [--only NAME ...]`: run the drills and print
their table, which is also written to `drills/results/latest.md`.

Without a database named, both run (PostgreSQL in a throw-away cluster of the drills' own,
when its programs are installed). Sizes come from the environment (`drills/config.py`)."""

from __future__ import annotations

import argparse
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from drills import backup_restore, concurrency, crash, mail_outage, upgrade
from drills.installation import postgres_bin
from drills.report import Row, table
from drills.stage import open_stage

VENDORS = ("sqlite", "postgresql")
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
# In this order: the shared installation grows through them, and the backup drill then
# backs up everything the others left (cases, outbox, task records, attachments).
DRILLS = {
    "concurrency": concurrency.run,
    "crash": crash.run,
    "mail": mail_outage.run,
    "backup": backup_restore.run,
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m drills", description=__doc__)
    parser.add_argument("databases", nargs="*", metavar="sqlite|postgresql")
    parser.add_argument("--only", nargs="+", choices=[*DRILLS, "upgrade"], default=None)
    options = parser.parse_args()
    unknown = set(options.databases) - set(VENDORS)
    if unknown:
        parser.error(
            f"unknown database {', '.join(sorted(unknown))}: choose from sqlite, postgresql"
        )
    return options


def _run_database(vendor: str, only: list[str] | None) -> list[Row]:
    rows: list[Row] = []
    wanted = [name for name in DRILLS if only is None or name in only]
    if wanted:
        stage = open_stage(vendor)
        try:
            for name in wanted:
                print(f"  {stage.label}: {name} …", flush=True)
                rows.append(DRILLS[name](stage))
                print(f"    {'held' if rows[-1].ok else 'NOT HELD'}: {rows[-1].held}", flush=True)
        finally:
            stage.close()
    if only is None or "upgrade" in only:
        print(f"  {vendor}: upgrade …", flush=True)
        rows.append(upgrade.run(vendor))
        print(f"    {'held' if rows[-1].ok else 'NOT HELD'}: {rows[-1].held}", flush=True)
    return rows


def main() -> None:
    options = _arguments()
    vendors = options.databases or list(VENDORS)
    if "postgresql" in vendors and postgres_bin() is None:
        print("PostgreSQL drills skipped: initdb and pg_ctl are not installed.")
        vendors = [vendor for vendor in vendors if vendor != "postgresql"]
    started = time.monotonic()
    rows: list[Row] = []
    for vendor in vendors:
        print(f"Drills on {vendor}:", flush=True)
        rows += _run_database(vendor, options.only)
    minutes = (time.monotonic() - started) / 60
    text = (
        f"# Drills, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"{platform.platform()}, {platform.processor() or platform.machine()}, "
        f"run took {minutes:.1f} min.\n\n{table(rows)}\n"
    )
    print()
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    if not all(row.ok for row in rows):
        raise SystemExit("Some drills did not hold (see the table).")


if __name__ == "__main__":
    main()

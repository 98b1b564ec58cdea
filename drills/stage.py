"""One database kind under drill: its empty databases, and the installation the
concurrency, crash and mail drills share (migrated, demo data loaded, an Open311 key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drills.clients import run_clients
from drills.installation import Databases, PostgresCluster, postgres_bin

if TYPE_CHECKING:
    from threading import Thread

    from drills.clients import Plan, Tally
    from drills.installation import Installation


@dataclass
class Stage:
    vendor: str
    databases: Databases
    cluster: PostgresCluster | None
    main: Installation
    api_key: str
    service_code: str

    def start_clients(self, base: str, plan: Plan, clients: int) -> tuple[Tally, list[Thread]]:
        """`clients` clients sending cases to `base` as `plan` says, half through the web
        form and half through Open311 with this stage's key; the caller joins them."""
        web = clients // 2
        return run_clients(
            base,
            plan,
            web=web,
            open311=clients - web,
            api_key=self.api_key,
            service_code=self.service_code,
        )

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.vendor == "postgresql" else "SQLite"

    def close(self) -> None:
        self.databases.remove()
        if self.cluster is not None:
            self.cluster.remove()


def open_stage(vendor: str) -> Stage:
    cluster = None
    if vendor == "postgresql":
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise SystemExit("PostgreSQL's initdb and pg_ctl are missing: install postgresql.")
        cluster = PostgresCluster(bin_dir)
    databases = Databases(vendor, cluster)
    main = databases.new("drill_main")
    main.manage("migrate", "--noinput")
    main.manage("load_demo")
    prepared = main.inside("prepare")
    return Stage(vendor, databases, cluster, main, prepared["api_key"], prepared["service_code"])

"""One database kind under drill: its empty databases, and the installation the
concurrency, crash and mail drills share (migrated, demo data loaded, an Open311 key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drills.installation import Databases, PostgresCluster, postgres_bin

if TYPE_CHECKING:
    from drills.installation import Installation


@dataclass
class Stage:
    vendor: str
    databases: Databases
    cluster: PostgresCluster | None
    main: Installation
    api_key: str
    service_code: str

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

"""Fetch comparison figures from Kolada; a scheduler runs this (e.g. weekly, with
--from-date for only what changed), and staff run it to link an indicator to a KPI found by
title. It works wherever the network reaches api.kolada.se; when Kolada cannot be reached it
stops with a message and a non-zero exit code, and nothing is changed."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from servicenav.kpis import kolada, kolada_sync
from servicenav.kpis.models import Indicator

FIRST_YEAR = 1990
MOST_YEARS = 30


def parse_years(text: str, *, today: date) -> list[int]:
    """`2019-2025`, `2024` or `2022,2024`; empty: the last six years."""
    text = text.strip()
    if not text:
        return kolada_sync.default_years(today)
    span = re.fullmatch(r"([0-9]{4})\s*-\s*([0-9]{4})", text)
    parts = [part.strip() for part in text.split(",")]
    if span:
        first, last = int(span.group(1)), int(span.group(2))
        years = list(range(first, last + 1))
    elif all(re.fullmatch(r"[0-9]{4}", part) for part in parts):
        years = sorted({int(part) for part in parts})
    else:
        raise CommandError(f"--years {text!r}: write 2019-2025, 2024 or 2022,2024.")
    if not years or years[0] < FIRST_YEAR or years[-1] > today.year + 1:
        raise CommandError(f"--years must lie between {FIRST_YEAR} and {today.year + 1}.")
    if len(years) > MOST_YEARS:
        raise CommandError(f"--years may span at most {MOST_YEARS} years.")
    return years


def a_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write the day as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Fetch Kolada figures (own municipality, Riket, the comparison group, every "
        "municipality) for the KPIs linked to indicators, or found by title."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--title", default="", help="Also fetch the Kolada KPIs whose title contains this."
        )
        parser.add_argument(
            "--group-title",
            default="",
            help="With --title: only KPIs in the Kolada KPI group whose title contains this.",
        )
        parser.add_argument(
            "--years", default="", help="2019-2025, 2024 or 2022,2024; default the last six."
        )
        parser.add_argument(
            "--from-date",
            type=a_day,
            help="Fetch only what Kolada changed since this day (YYYY-MM-DD).",
        )
        parser.add_argument(
            "--link",
            type=int,
            metavar="INDICATOR_ID",
            help="Link this indicator to the one KPI --title finds, then fetch that KPI.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"], today=timezone.localdate())
        if options["link"] is not None and not options["title"].strip():
            raise CommandError("--link needs --title: the title of the Kolada KPI to link.")
        client = kolada_sync.kolada_client()
        try:
            report = self._sync(client, years, options)
        except kolada.KoladaError as exc:
            raise CommandError(
                f"Kolada could not be reached or did not answer as documented; no figures were "
                f"changed. {exc}"
            ) from None
        except kolada_sync.KoladaSyncError as exc:
            raise CommandError(str(exc)) from None
        self._print(report)

    def _sync(
        self, client: kolada.KoladaClient, years: list[int], options: dict[str, Any]
    ) -> kolada_sync.SyncReport:
        title, group_title = options["title"], options["group_title"]
        found = kolada_sync.find_kpis(client, title=title, group_title=group_title) if title else []
        linked: list[str] = kolada_sync.linked_kpi_ids()
        if options["link"] is not None:
            found = [self._link(options["link"], kolada_sync.choose_kpi(found, title))]
            linked = []
        if not found and not linked:
            self.stdout.write(
                self.style.WARNING(
                    "Nothing to fetch: no active indicator is linked to a Kolada KPI. Link one "
                    "with --link INDICATOR_ID --title, or name KPIs with --title."
                )
            )
        return kolada_sync.kolada_sync(
            client=client,
            years=years,
            kpis=found,
            kpi_ids=linked,
            from_date=options["from_date"],
            stream=self.stdout,
        )

    def _link(self, indicator_id: int, kpi: kolada.Kpi) -> kolada.Kpi:
        indicator = Indicator.objects.select_related("unit").filter(pk=indicator_id).first()
        if indicator is None:
            raise CommandError(f"There is no indicator with id {indicator_id}.")
        try:
            kolada_sync.kolada_link(indicator=indicator, kpi_id=kpi.id, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Linked indicator {indicator.code} ({indicator.pk}) to {kpi.id}.")
        return kpi

    def _print(self, report: kolada_sync.SyncReport) -> None:
        for kpi in report.kpis:
            self.stdout.write(f"KPI {kpi.id}: {kpi.title}")
        if report.unknown:
            self.stdout.write(
                self.style.WARNING(f"Not found in Kolada: {', '.join(report.unknown)}.")
            )
        if not report.kpis:
            return
        group = report.group
        self.stdout.write(
            f"Comparison group: {group.id} {group.title} ({len(group.members)} members)."
            if group
            else "Comparison group: none (SERVICENAV_KOLADA_GROUP is empty); Riket only."
        )
        since = f", changes since {report.from_date}" if report.from_date else ""
        years = f"{report.years[0]}–{report.years[-1]}" if report.years else "none"
        self.stdout.write(
            f"Years {years}, {report.municipalities} municipalities with Riket{since}."
        )
        self._print_versions(report)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.stored} values stored ({report.missing} without a figure), "
                f"{report.deleted} removed, {report.skipped} too large to store; "
                f"{report.measurements} measurements of Kolada-sourced indicators written."
            )
        )

    def _print_versions(self, report: kolada_sync.SyncReport) -> None:
        calls = ", ".join(f"{version}: {n} calls" for version, n in sorted(report.versions.items()))
        self.stdout.write(f"Kolada API answered ({calls}).")
        if report.versions.get("v2"):
            self.stdout.write(
                self.style.WARNING("Kolada's v3 API failed for some calls; v2 answered them.")
            )

"""Background tasks of the network app; each calls a service."""

from __future__ import annotations

from django_tasks import task

from servicenav.network.services import report_finalise


@task()
def finalise_report(report_id: int) -> str | None:
    """Mark a report final, as asked for on its page; returns its status afterwards."""
    report = report_finalise(report_id=report_id)
    return None if report is None else report.status

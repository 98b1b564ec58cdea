"""Background tasks of the public app; each calls a service."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from servicenav.public.feedback import feedback_statistics_refresh


@task()
def refresh_feedback_statistics(changed: dict[str, str]) -> dict[str, int]:
    """Count the feedback of the changed units again: unit id → ISO day from which their
    cases changed (JSON keys are strings)."""
    days = {int(pk): date.fromisoformat(day) for pk, day in changed.items()}
    return {"rows": feedback_statistics_refresh(days)}

"""Background tasks of the KPI app; each calls a service (see `stale`)."""

from __future__ import annotations

from django_tasks import task

from servicenav.kpis.stale import recompute_stale_units
from servicenav.kpis.survey_compute import compute_survey_indicators


@task()
def recompute_stale() -> dict[str, int]:
    """Recompute the measurements that case changes since the last run can have moved."""
    indicators, measurements = recompute_stale_units()
    return {"indicators": indicators, "measurements": measurements}


@task()
def recompute_survey_indicators(survey_id: int) -> dict[str, int]:
    """Recompute the indicators of one survey after a late answer to a closed round."""
    indicators, measurements = compute_survey_indicators(survey_id=survey_id)
    return {"indicators": indicators, "measurements": measurements}

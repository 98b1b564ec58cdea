"""What the public start page ("how we are doing"), a unit's page and the comparison page
show, assembled from what the other apps stored — never from raw cases, never personal
data. Each page is read with a fixed number of queries, however many units, indicators,
declarations, promises and surveys there are (the tests count them).

Decisions, which the pages say in words too:

- **Feedback** is counted over the last twelve months the stored counts cover (up to the
  last month counted, normally the last ended month), summed from `FeedbackMonth` exactly
  as the feedback statistics sum a year, and suppressed by the same rule (`figures_of`).
  The headline "9 of 10 got an answer within 10 working days" is of the feedback
  answered in those months, with the municipality's standard answer time
  (`SERVICENAV_ANSWER_DAYS`); "x of 10" is rounded *down*, so it never says more than
  happened, and it is left out below the public minimum.
- **KPIs**: the active indicators a unit owns, each with its latest measurement for that
  unit judged against the year's target (`kpis.selectors`). A value built on fewer cases
  or answers than the public minimum is shown as too few, as in the open data
  (`opendata.kpis.is_suppressed`).
- **Promises** on a tile: of the promises in force in the declarations of the unit and the
  units below it, how many were kept in their latest follow-up within the track record's
  window (the last twelve ended periods), among those judged then. On a unit's page each
  promise of its own declarations shows every period of that window; a share built on
  fewer cases than the public minimum is not shown (the judgement follows the promise's
  own minimum, as on the declaration pages).
- **Surveys** on a unit's page: the latest closed round of each survey the unit itself
  runs, its questions marked public, with the figures and intervals of the open data.
- **"You said – we did"**: the improvement actions staff marked done and published
  (`improvement.selectors.published_actions`: title, their public text, unit and date,
  never the feedback behind them), newest first; a tile shows those of its unit and the
  units below it that no other tile shows, with a link to all of them
  (`improvement:public-list`). A unit's page also shows its newest *published* case
  summaries in their own section (staff-written and approved: what it was about and our
  answer, never the citizen's text, name or the case reference).
"""

from __future__ import annotations

from servicenav.public.overview.pages import (
    CompareChoice,
    ComparePage,
    StartPage,
    Tile,
    UnitPage,
    compare_choices,
    compare_page,
    start_page,
    unit_page,
)

__all__ = [
    "CompareChoice",
    "ComparePage",
    "StartPage",
    "Tile",
    "UnitPage",
    "compare_choices",
    "compare_page",
    "start_page",
    "unit_page",
]

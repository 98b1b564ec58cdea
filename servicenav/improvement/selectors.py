"""Reads across relations: lists of actions, the public "du sa – vi gjorde", feedback that
no action took up, the good-example library and theme counts per förvaltning."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from servicenav.cases.models import Case, Kind
from servicenav.core.periods import Period, PeriodKind
from servicenav.improvement.models import Action, CaseTheme, GoodExample, TextAnswerTheme, Theme
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from servicenav.improvement.models import ActionQuerySet
    from servicenav.organisation.models import ServiceValue, User


def action_list(
    actions: ActionQuerySet,
    *,
    unit: Unit | None = None,
    status: str = "",
    value: ServiceValue | None = None,
) -> ActionQuerySet:
    """`actions` filtered by unit (its subtree), status and value, ready for a list page."""
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    if status:
        actions = actions.filter(status=status)
    if value is not None:
        actions = actions.filter(values=value)
    return actions.select_related("unit", "responsible").order_by("unit__path", "-created_at")


def published_actions(*, unit: Unit | None = None, limit: int | None = None) -> list[Action]:
    """Published "du sa – vi gjorde", newest first, optionally of one unit and its subtree.
    Only the public fields are meant for display: title, public text, unit, dates."""
    actions = Action.objects.published().select_related("unit").order_by("-published_at", "-id")
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    return list(actions[:limit] if limit else actions)


@dataclass
class FeedbackGroup:
    label: str
    cases: list[Case]


def feedback_without_action(
    user: User | AnonymousUser, *, today: date | None = None
) -> list[FeedbackGroup]:
    """Feedback of the last 12 months that `user` sees, with a theme or of a kind that asks
    for change (complaint, suggestion), that no action links; grouped by theme, or by
    category when untagged, largest group first."""
    since = (today or timezone.localdate()) - timedelta(days=365)
    cases = (
        Case.objects.visible_to(user)
        .filter(received_at__date__gte=since, improvement_actions__isnull=True)
        .filter(Q(theme_tags__isnull=False) | Q(kind__in=[Kind.COMPLAINT, Kind.SUGGESTION]))
        .distinct()
        .select_related("category", "unit")
        .prefetch_related("theme_tags__theme")
        .order_by("-received_at")
    )
    groups: dict[str, list[Case]] = {}
    for case in cases:
        themes = [tag.theme.name for tag in case.theme_tags.all()]
        labels = themes or [case.category.name if case.category else ""]
        for label in labels:
            groups.setdefault(label, []).append(case)
    return sorted(
        (FeedbackGroup(label, rows) for label, rows in groups.items()),
        key=lambda group: (-len(group.cases), group.label == "", group.label),
    )


def good_examples(
    examples: QuerySet[GoodExample],
    *,
    query: str = "",
    unit: Unit | None = None,
    value: ServiceValue | None = None,
    theme: Theme | None = None,
) -> QuerySet[GoodExample]:
    if query:
        examples = examples.filter(Q(title__icontains=query) | Q(text__icontains=query))
    if unit is not None:
        examples = examples.filter(unit__path__startswith=unit.path)
    if value is not None:
        examples = examples.filter(values=value)
    if theme is not None:
        examples = examples.filter(themes=theme)
    return examples.select_related("unit").prefetch_related("values", "themes").distinct()


@dataclass
class ThemeRow:
    theme: Theme
    total: int
    counts: dict[tuple[int, str], int]  # (förvaltning id, period code) → count


@dataclass
class ThemeNetwork:
    administrations: list[Unit]
    periods: list[str]
    rows: list[ThemeRow]

    def count(self, row: ThemeRow, administration: Unit, period: str) -> int:
        return row.counts.get((administration.pk, period), 0)


def _administration_of(path: str, administrations: dict[int, Unit]) -> Unit | None:
    for part in path.strip("/").split("/"):
        if part and int(part) in administrations:
            return administrations[int(part)]
    return None


def theme_network(
    *, since: date, until: date, kind: PeriodKind = PeriodKind.TERTIAL, top: int = 10
) -> ThemeNetwork:
    """How often each theme was tagged on feedback (by day received) and on free-text
    survey answers (by day answered), per förvaltning and period: the `top` themes."""
    administrations = {unit.pk: unit for unit in Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION)}
    tallies: Counter[tuple[int, int, str]] = Counter()
    case_tags = CaseTheme.objects.filter(
        case__received_at__date__gte=since, case__received_at__date__lte=until
    ).values_list("theme_id", "case__unit__path", "case__received_at")
    answer_tags = TextAnswerTheme.objects.filter(
        answer__response__submitted_on__gte=since, answer__response__submitted_on__lte=until
    ).values_list(
        "theme_id", "answer__response__round__survey__unit__path", "answer__response__submitted_on"
    )
    for theme_id, path, when in [*case_tags, *answer_tags]:
        administration = _administration_of(path or "", administrations)
        if administration is None:
            continue
        day = timezone.localtime(when).date() if isinstance(when, datetime) else when
        tallies[(theme_id, administration.pk, Period.containing(day, kind).code)] += 1
    totals: Counter[int] = Counter()
    for (theme_id, _unit, _period), n in tallies.items():
        totals[theme_id] += n
    themes = Theme.objects.in_bulk([pk for pk, _n in totals.most_common(top)])
    rows = [
        ThemeRow(
            theme=themes[pk],
            total=total,
            counts={(u, p): n for (t, u, p), n in tallies.items() if t == pk},
        )
        for pk, total in totals.most_common(top)
    ]
    periods: Sequence[str] = sorted({period for (_t, _u, period) in tallies})
    used = sorted({u for (_t, u, _p) in tallies})
    return ThemeNetwork(
        administrations=[administrations[pk] for pk in used], periods=list(periods), rows=rows
    )


def report_section(unit: Unit, period: Period) -> dict[str, list[dict[str, str]]]:
    """For the network's service report: the actions of `unit` and the units below it
    started and completed in `period`, and the good examples added in it, as JSON rows."""
    in_scope = Q(unit__path__startswith=unit.path)
    actions = Action.objects.filter(in_scope)
    started = actions.filter(actual_start__range=(period.start, period.end))
    completed = actions.filter(
        status=Action.Status.DONE, actual_end__range=(period.start, period.end)
    )
    examples = GoodExample.objects.filter(
        in_scope, created_at__date__range=(period.start, period.end)
    )
    return {
        "started": [{"title": title} for title in started.values_list("title", flat=True)],
        "completed": [{"title": title} for title in completed.values_list("title", flat=True)],
        "good_examples": [{"title": title} for title in examples.values_list("title", flat=True)],
    }

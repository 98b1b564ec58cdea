"""Staff pages for learning: the good-example library, tagging feedback with themes and
the network's view of the most frequent themes per förvaltning and period."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.cases.access import get_case_for_user
from servicenav.core.periods import PERIOD_KIND_CHOICES, PeriodKind
from servicenav.improvement import forms as f
from servicenav.improvement import selectors, services
from servicenav.improvement.access import (
    DECIDERS,
    examples_visible_to,
    get_action_for_user,
    get_example_for_user,
)
from servicenav.improvement.models import Theme
from servicenav.organisation.models import Unit, User
from servicenav.surveys.access import get_round_for_user
from servicenav.surveys.models import TextAnswer

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse


@login_required
def example_list(request: HttpRequest) -> HttpResponse:
    form = f.ExampleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    examples = selectors.good_examples(
        examples_visible_to(request.user),
        query=filters.get("q", ""),
        unit=filters.get("unit"),
        value=filters.get("value"),
        theme=filters.get("theme"),
    )
    editable = set(Unit.objects.visible_to(request.user, DECIDERS).values_list("pk", flat=True))
    context = {"form": form, "examples": examples, "editable_unit_ids": editable}
    return render(request, "improvement/staff/examples.html", context)


@login_required
def example_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    form = f.ExampleForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.good_example_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("improvement:examples")
    status = 400 if form.errors else 200
    return render(request, "improvement/staff/example_form.html", {"form": form}, status=status)


@login_required
def example_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The creating form, filled in, for those who may create an example for its unit."""
    user = cast("User", request.user)
    example = get_example_for_user(user, pk, write=True)
    initial = {name: getattr(example, name) for name in services.EXAMPLE_FIELDS}
    initial |= {"values": example.values.all(), "themes": example.themes.all()}
    form = f.ExampleForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.good_example_edit(example=example, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The good example is saved."))
            return redirect("improvement:examples")
    status = 400 if form.errors else 200
    context = {"form": form, "example": example}
    return render(request, "improvement/staff/example_form.html", context, status=status)


@login_required
def example_from_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast("User", request.user)
    action = get_action_for_user(user, pk, decide=True)
    if request.method == "POST":
        try:
            services.good_example_from_action(action=action, by=user)
        except ValidationError as error:
            context = {"errors": error.messages, "action": action}
            return render(request, "improvement/staff/example_error.html", context, status=400)
    return redirect("improvement:examples")


@login_required
def case_themes(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast("User", request.user)
    case = get_case_for_user(user, pk, write=True)
    current = Theme.objects.filter(case_tags__case=case)
    form = f.ThemesForm(request.POST or None, initial={"themes": current})
    if request.method == "POST" and form.is_valid():
        services.case_set_themes(case=case, themes=form.cleaned_data["themes"], by=user)
        return redirect("improvement:case-themes", case.pk)
    status = 400 if form.errors else 200
    return render(
        request, "improvement/staff/case_themes.html", {"form": form, "case": case}, status=status
    )


@login_required
def theme_network(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    may_add = Unit.objects.visible_to(user, DECIDERS).exists()
    form = f.ThemeForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        try:
            if form.is_valid():
                services.theme_create(by=user, **form.cleaned_data)
                return redirect("improvement:themes")
        except ValidationError as error:
            form.add_error("name_sv", error)
    try:
        kind = PeriodKind(request.GET.get("per", PeriodKind.TERTIAL))
    except ValueError:
        kind = PeriodKind.TERTIAL
    today = timezone.localdate()
    network = selectors.theme_network(since=today - timedelta(days=730), until=today, kind=kind)
    context = {
        "network": network,
        "kind": kind.value,
        "kinds": PERIOD_KIND_CHOICES,
        "form": form if may_add else None,
        "themes": Theme.objects.all(),
    }
    return render(
        request, "improvement/staff/themes.html", context, status=400 if form.errors else 200
    )


@login_required
def answer_themes(request: HttpRequest, pk: int) -> HttpResponse:
    """Tag the free-text answers of one survey round, for those who run the survey."""
    user = cast("User", request.user)
    round = get_round_for_user(user, pk, write=True)
    answers = TextAnswer.objects.filter(response__round=round).prefetch_related("theme_tags")
    if request.method == "POST":
        answer_pk = request.POST.get("answer", "")
        answer = answers.filter(pk=answer_pk).first() if answer_pk.isdigit() else None
        form = f.ThemesForm(request.POST, prefix=f"a{answer_pk}")
        if answer is None or not form.is_valid():
            context = {"round": round, "rows": _answer_rows(answers), "error": True}
            return render(request, "improvement/staff/answer_themes.html", context, status=400)
        services.answer_set_themes(answer=answer, themes=form.cleaned_data["themes"], by=user)
        return redirect("improvement:answer-themes", round.pk)
    context = {"round": round, "rows": _answer_rows(answers)}
    return render(request, "improvement/staff/answer_themes.html", context)


def _answer_rows(answers: QuerySet[TextAnswer]) -> list[tuple[TextAnswer, f.ThemesForm]]:
    return [
        (
            answer,
            f.ThemesForm(
                prefix=f"a{answer.pk}",
                initial={"themes": [tag.theme_id for tag in answer.theme_tags.all()]},
            ),
        )
        for answer in answers[:200]
    ]

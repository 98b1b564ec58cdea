"""Building surveys in the admin site: a survey with its question areas and questions, and
focus groups, each only for the units the administrator administers.

A question that a round has answers to is read-only here: changing it would change what
people already answered. New wording goes through the round page, which makes it a new
question in that round only (`services.round_question_replace`). Rounds, invitations and
responses are not in the admin: rounds are made on the staff pages (they copy their
questions), and answers are never opened one by one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from servicenav.core.admin_site import AdministratorInline
from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.organisation.admin import UnitScopedAdmin, administered_units
from servicenav.surveys.models import (
    Area,
    FocusGroup,
    Question,
    Response,
    Round,
    RoundQuestion,
    Survey,
)
from servicenav.surveys.staff_forms import QuestionForm

if TYPE_CHECKING:
    from django.db.models import ForeignKey, Model, QuerySet
    from django.forms import BaseForm, ModelChoiceField
    from django.http import HttpRequest

MAX_OVERALL = 3


def answered_question_ids(survey: Survey) -> set[int]:
    """Questions of `survey` that some round has answers to: frozen."""
    answered = Round.objects.filter(survey=survey).filter(
        Exists(Response.objects.filter(round=OuterRef("pk")))
    )
    return set(
        RoundQuestion.objects.filter(round__in=answered).values_list("question_id", flat=True)
    )


def retired_question_ids(survey: Survey) -> set[int]:
    """Questions that earlier rounds used but the newest round no longer does (they were
    reworded into new questions). They stay for those rounds' analysis, out of sight here."""
    newest = survey.rounds.order_by("-opens_on", "-id").first()
    if newest is None:
        return set()
    used = set(
        RoundQuestion.objects.filter(round__survey=survey).values_list("question_id", flat=True)
    )
    current = set(newest.round_questions.values_list("question_id", flat=True))
    return used - current


class AreaFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        frozen = answered_question_ids(self.instance) if self.instance.pk else set()
        for form in self.deleted_forms:
            area = form.instance
            if area.pk and area.questions.filter(pk__in=frozen).exists():
                raise ValidationError(
                    _("“%(area)s” has questions with answers: it cannot be removed.")
                    % {"area": area.name}
                )


class AreaInline(AdministratorInline, admin.StackedInline):
    model = Area
    formset = AreaFormSet
    fields = ["order", "name_sv", "name_en"]


class QuestionFormSet(BaseInlineFormSet):
    """The survey's current questions; those with answers are shown but cannot change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survey = self.instance
        self.frozen = answered_question_ids(survey) if survey.pk else set()
        self.retired = retired_question_ids(survey) if survey.pk else set()

    def get_queryset(self) -> QuerySet[Question]:
        if not hasattr(self, "_current"):
            self._current = super().get_queryset().exclude(pk__in=self.retired)
        return self._current

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        survey = self.instance
        areas = Area.objects.filter(survey=survey) if survey.pk else Area.objects.none()
        form.fields["area"].queryset = areas  # type: ignore[attr-defined]
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk in self.frozen:
            for field in form.fields.values():
                field.disabled = True
            form.fields["text_sv"].help_text = _(
                "Answered in a round: it can no longer change here. Reword it on the "
                "round page, which makes it a new question for that round."
            )

    def clean(self) -> None:
        super().clean()
        overall = sum(
            1
            for form in self.forms
            if getattr(form, "cleaned_data", {}).get("is_overall")
            and form not in self.deleted_forms
        )
        if overall > MAX_OVERALL:
            raise ValidationError(
                _("At most %(count)d questions can be overall questions.") % {"count": MAX_OVERALL}
            )


class QuestionInline(AdministratorInline, admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    fieldsets = [
        (None, {"fields": ["order", "area", "kind", "text_sv", "text_en"]}),
        (
            _("Scale"),
            {
                "fields": [
                    "scale_max",
                    "low_label_sv",
                    "low_label_en",
                    "high_label_sv",
                    "high_label_en",
                    "allows_dont_know",
                ]
            },
        ),
        (_("Choices"), {"fields": ["options"]}),
        (None, {"fields": ["is_background", "is_overall", "required"]}),
    ]


def _audit_inline_saves(request: HttpRequest, formset: BaseInlineFormSet, unit: Any) -> None:
    for obj in formset.new_objects:
        audit_record(actor=request.user, action=AuditEntry.Action.CREATE, obj=obj, unit=unit)  # type: ignore[arg-type]
    for obj, names in formset.changed_objects:
        form = next(form for form in formset.forms if form.instance.pk == obj.pk)
        before = {name: form.initial.get(name) for name in names}
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEntry.Action.UPDATE,
            obj=obj,
            unit=unit,
            changes=field_changes(before, snapshot(obj, names)),
        )
    for obj in formset.deleted_objects:
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, obj=obj, unit=unit)  # type: ignore[arg-type]


class _UnitAuditedAdmin(UnitScopedAdmin):
    """Saves are logged with the row's unit, so its administrators find them in the log."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        names = form.changed_data if change else list(form.fields)
        fields = [name for name in names if name in {f.name for f in obj._meta.concrete_fields}]
        before = {name: form.initial.get(name) for name in fields} if change else {}
        obj.save()
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            unit=obj.unit,
            changes=field_changes(before, snapshot(obj, fields)),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, obj=obj, unit=obj.unit)  # type: ignore[arg-type]
        obj.delete()


@admin.register(Survey)
class SurveyAdmin(_UnitAuditedAdmin):
    list_display = ["title_sv", "unit", "created_at"]
    search_fields = ["title_sv", "title_en"]
    fields = [
        "unit",
        "title_sv",
        "title_en",
        "target_group_sv",
        "target_group_en",
        "intro_sv",
        "intro_en",
    ]
    inlines = [AreaInline, QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Survey]:
        return super().get_queryset(request).select_related("unit")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Once a round exists the survey is history: its rounds are compared with later ones.
        if isinstance(obj, Survey) and obj.rounds.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: Any,
        change: bool,
    ) -> None:
        super().save_formset(request, form, formset, change)
        _audit_inline_saves(request, formset, form.instance.unit)


@admin.register(FocusGroup)
class FocusGroupAdmin(_UnitAuditedAdmin):
    """For corrections: focus groups are recorded on the staff pages."""

    list_display = ["held_on", "target_group", "unit", "survey", "participants"]
    date_hierarchy = "held_on"
    search_fields = ["target_group", "summary"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "survey":
            kwargs["queryset"] = Survey.objects.filter(
                Q(unit__in=administered_units(request))
            ).select_related("unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

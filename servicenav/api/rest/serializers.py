"""Explicit input and output shapes of the REST API. Input serializers only check and
convert what a client sent (choices come from the same selectors as the web forms); output
serializers only present. Every rule about cases lives in cases.services and cases.access,
every rule about indicators in kpis.services and kpis.access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from servicenav.cases.access import can_handle
from servicenav.cases.models import Case, CaseEvent, Category, Channel, Kind, Outcome, Status
from servicenav.cases.selectors import (
    OPEN,
    InboxFilters,
    case_deadlines,
    case_history,
    handlers_for,
)
from servicenav.core.periods import PERIOD_KIND_CHOICES
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Version
from servicenav.declarations.services import COMMITMENT_FIELDS
from servicenav.kpis.access import indicators_visible_to
from servicenav.kpis.models import (
    Indicator,
    KoladaValue,
    Measurement,
    Statistic,
    Target,
    UnitOfMeasure,
)
from servicenav.kpis.models import (
    Kind as IndicatorKind,
)
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from rest_framework.request import Request

# ---------------------------------------------------------------------------------------
# Output


class UnitRefSerializer(serializers.Serializer[Unit]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("In Swedish, the API's language."))


class CategoryRefSerializer(serializers.Serializer[Category]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("In Swedish, the API's language."))


class UserRefSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class CaseListSerializer(serializers.Serializer[Case]):
    """A case as the inbox lists it."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True, help_text=_("The feedback as it was sent."))
    place = serializers.CharField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    acknowledge_by = serializers.DateField(read_only=True)
    answer_by = serializers.DateField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    is_anonymous = serializers.BooleanField(read_only=True)


class ReporterSerializer(serializers.Serializer[Case]):
    """Contact details: personal data, shown to staff of the case's unit only."""

    name = serializers.CharField(source="reporter_name", read_only=True)
    email = serializers.EmailField(source="reporter_email", read_only=True)
    phone = serializers.CharField(source="reporter_phone", read_only=True)
    wants_answer = serializers.BooleanField(read_only=True)
    language = serializers.CharField(read_only=True)


class DeadlineSerializer(serializers.Serializer[Any]):
    due = serializers.DateField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(
        choices=["met", "missed", "overdue", "paused", "running"], read_only=True
    )


class DeadlinesSerializer(serializers.Serializer[Any]):
    acknowledge = DeadlineSerializer(read_only=True)
    answer = DeadlineSerializer(read_only=True)


class EventSerializer(serializers.Serializer[Any]):  # a HistoryEntry, or a list
    """One entry of a case's history. Internal notes have `is_public` false."""

    id = serializers.IntegerField(source="event.id", read_only=True)
    at = serializers.DateTimeField(source="event.at", read_only=True)
    type = serializers.ChoiceField(
        source="event.type", choices=CaseEvent.Type.choices, read_only=True
    )
    actor = UserRefSerializer(source="event.actor", read_only=True, allow_null=True)
    by_citizen = serializers.BooleanField(read_only=True)
    text = serializers.CharField(source="event.text", read_only=True)
    is_public = serializers.BooleanField(
        source="event.is_public", read_only=True, help_text=_("Shown to the citizen.")
    )
    changes = serializers.JSONField(
        source="event.data", read_only=True, help_text=_("What changed: {field: {from, to}}.")
    )


class CaseDetailSerializer(CaseListSerializer):
    """A case as its staff page shows it, contact details and full history included."""

    outcome_note = serializers.CharField(read_only=True)
    attributes = serializers.JSONField(
        read_only=True, help_text=_("Answers to the category's questions, by code.")
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    reporter = ReporterSerializer(source="*", read_only=True)
    registered_at = serializers.DateTimeField(read_only=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_reply_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    answered_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    is_published = serializers.BooleanField(read_only=True)
    public_summary = serializers.CharField(read_only=True)
    public_answer = serializers.CharField(read_only=True)
    anonymised_at = serializers.DateTimeField(read_only=True, allow_null=True)
    can_handle = serializers.SerializerMethodField(
        help_text=_("Whether the key's owner may act on the case.")
    )
    deadlines = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    def get_can_handle(self, case: Case) -> bool:
        request: Request = self.context["request"]
        return can_handle(request.user, case)

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, case: Case) -> dict[str, Any]:
        return dict(DeadlinesSerializer(case_deadlines(case)).data)

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, case: Case) -> list[Any]:
        return list(EventSerializer(case_history(case), many=True).data)


class UnitSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = ["id", "name_sv", "name_en", "kind", "parent", "active", "contact_email"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = [
            "id",
            "unit",
            "name_sv",
            "name_en",
            "description_sv",
            "description_en",
            "keywords",
            "needs_location",
            "active",
        ]
        read_only_fields = fields


# Service declarations (read-only: they are written and approved in the staff pages).


class DeclarationVersionRefSerializer(serializers.Serializer[Version]):
    """Where a version stands, without its texts."""

    number = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=Version.Status.choices, read_only=True)
    valid_from = serializers.DateField(read_only=True, allow_null=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)
    review_by = serializers.DateField(read_only=True, allow_null=True)


class DeclarationSerializer(serializers.Serializer[Declaration]):
    """A declaration as the staff list shows it: named by its newest version."""

    id = serializers.IntegerField(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    owner = UserRefSerializer(read_only=True, allow_null=True)
    service_sv = serializers.SerializerMethodField(help_text=_("From the newest version."))
    service_en = serializers.SerializerMethodField(help_text=_("From the newest version."))
    current = serializers.SerializerMethodField(
        help_text=_("The published version in force, or null.")
    )
    latest = serializers.SerializerMethodField(
        help_text=_("The newest version, whatever its state: the one staff work on.")
    )
    created_at = serializers.DateTimeField(read_only=True)

    # `versions` is prefetched newest first (see the views); these only pick from it.

    def get_service_sv(self, declaration: Declaration) -> str:
        return declaration.versions.all()[0].service_sv

    def get_service_en(self, declaration: Declaration) -> str:
        return declaration.versions.all()[0].service_en

    @extend_schema_field(DeclarationVersionRefSerializer(allow_null=True))
    def get_current(self, declaration: Declaration) -> dict[str, Any] | None:
        published = [
            version
            for version in declaration.versions.all()
            if version.status == Version.Status.PUBLISHED
        ]
        return dict(DeclarationVersionRefSerializer(published[0]).data) if published else None

    @extend_schema_field(DeclarationVersionRefSerializer)
    def get_latest(self, declaration: Declaration) -> dict[str, Any]:
        return dict(DeclarationVersionRefSerializer(declaration.versions.all()[0]).data)


class DeclarationVersionSerializer(serializers.ModelSerializer[Version]):
    approved_by = UserRefSerializer(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Version.Status.choices, read_only=True)

    class Meta:
        model = Version
        fields = [
            "number",
            "status",
            *Version.CONTENT_FIELDS,
            "valid_from",
            "valid_until",
            "review_by",
            "created_at",
            "submitted_at",
            "approved_by",
            "approved_at",
            "published_at",
            "archived_at",
            "returned_comment",
        ]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    kind = serializers.ChoiceField(choices=Commitment.Kind.choices, read_only=True)
    threshold = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=_("Kept when at least this share (%) of the cases is within the limit."),
    )

    class Meta:
        model = Commitment
        fields = ["id", "key", *COMMITMENT_FIELDS]
        read_only_fields = fields
        extra_kwargs = {
            "key": {"help_text": _("The same in every version that carries the promise.")}
        }


class DeclarationDetailSerializer(DeclarationSerializer):
    versions = DeclarationVersionSerializer(many=True, read_only=True, help_text=_("Newest first."))
    commitments = serializers.SerializerMethodField(
        help_text=_("The promises of the newest version.")
    )

    @extend_schema_field(CommitmentSerializer(many=True))
    def get_commitments(self, declaration: Declaration) -> list[Any]:
        newest = declaration.versions.all()[0]
        return list(CommitmentSerializer(newest.commitments.all(), many=True).data)


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    """How one promise was kept in one period: judged from the cases when measurable,
    assessed by the unit when qualitative."""

    commitment_id = serializers.IntegerField(
        read_only=True, help_text=_("The promise as worded in the version that judged it.")
    )
    commitment_key = serializers.UUIDField(read_only=True)
    commitment_sv = serializers.CharField(source="commitment.text_sv", read_only=True)
    commitment_en = serializers.CharField(source="commitment.text_en", read_only=True)
    kind = serializers.ChoiceField(
        source="commitment.kind", choices=Commitment.Kind.choices, read_only=True
    )
    result = serializers.ChoiceField(choices=FollowUp.Result.choices, read_only=True)
    value = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=_("The share (%) of cases within the limit; null when qualitative."),
    )
    assessed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "commitment_id",
            "commitment_key",
            "commitment_sv",
            "commitment_en",
            "kind",
            "period",
            "period_start",
            "period_end",
            "result",
            "value",
            "cases",
            "comment",
            "explanation",
            "planned_action",
            "assessed_by",
            "updated_at",
        ]
        read_only_fields = fields


# Key performance indicators (read-only: they are defined, and their figures entered, in the
# staff pages).


def _figure(help_text: Any = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=help_text,
    )


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator as the staff list shows it."""

    unit = UnitRefSerializer(read_only=True, help_text=_("The owning unit."))
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, read_only=True)
    # `source` (a model field that shadows Field.source) is the ModelSerializer's own choice.
    statistic = serializers.ChoiceField(
        choices=Statistic.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("How the value is computed from the cases; empty for other sources."),
    )
    unit_of_measure = serializers.ChoiceField(choices=UnitOfMeasure.choices, read_only=True)
    period_kind = serializers.ChoiceField(choices=PERIOD_KIND_CHOICES, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "unit",
            "code",
            "name_sv",
            "name_en",
            "kind",
            "source",
            "statistic",
            "unit_of_measure",
            "higher_is_better",
            "period_kind",
            "min_cases",
            "active",
            "kolada_kpi",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "min_cases": {"help_text": _("With fewer cases in a period, no value is given.")},
            "kolada_kpi": {"help_text": _("The Kolada KPI it is compared with, if any.")},
        }


class TargetSerializer(serializers.ModelSerializer[Target]):
    value = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True
    )

    class Meta:
        model = Target
        fields = ["year", "value"]
        read_only_fields = fields


class IndicatorDetailSerializer(IndicatorSerializer):
    """The whole definition, with the target of every year that has one."""

    params = serializers.JSONField(
        read_only=True,
        help_text=_(
            "What exactly is computed: e.g. limit_days for the cases' shares, the survey and "
            "question for an indicator computed from a survey."
        ),
    )
    targets = TargetSerializer(many=True, read_only=True, help_text=_("Oldest year first."))

    class Meta(IndicatorSerializer.Meta):
        fields = [
            *IndicatorSerializer.Meta.fields,
            "definition_sv",
            "definition_en",
            "params",
            "exception_reason",
            "created_at",
            "targets",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **IndicatorSerializer.Meta.extra_kwargs,
            "exception_reason": {
                "help_text": _("Why the unit has more active indicators than its limit.")
            },
        }


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    """One value of an indicator for one unit and period."""

    indicator = serializers.IntegerField(source="indicator_id", read_only=True)
    unit = UnitRefSerializer(read_only=True)
    value = _figure(_("Null when there was no data, or fewer cases than the indicator's minimum."))
    n = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("How many cases, answers or calls the value stands on."),
    )
    low = _figure(_("Lower end of the 95-percent interval, where one applies."))
    high = _figure(_("Upper end of the 95-percent interval, where one applies."))
    entered_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text=_("Who entered or imported a figure.")
    )

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "unit",
            "period",
            "period_start",
            "period_end",
            "value",
            "n",
            "low",
            "high",
            "source",
            "computed_at",
            "entered_by",
            "comment",
        ]
        read_only_fields = fields


class KoladaValueSerializer(serializers.ModelSerializer[KoladaValue]):
    """One Kolada figure. Källa: Kolada; `demo` marks made-up demo figures."""

    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=_("Null where Kolada has no figure."),
    )

    class Meta:
        model = KoladaValue
        fields = ["id", "kpi", "municipality", "year", "value", "count", "status", "demo"]
        read_only_fields = fields
        extra_kwargs = {
            "municipality": {"help_text": _("Kolada's id of the municipality; 0000 is Riket.")},
            "count": {"help_text": _("How many municipalities an average is taken over.")},
            "demo": {"help_text": _("A made-up figure loaded as demo data, not Kolada's.")},
        }


# ---------------------------------------------------------------------------------------
# Input. `context` carries the acting `user` and, for actions, the `case`.


class Text(serializers.CharField):
    """Text sent to the API. DRF's own message for a value that is not text has no
    Swedish translation."""

    default_error_messages = {"invalid": _("Write this as text, not as a number, list or object.")}


class CaseFilterSerializer(serializers.Serializer[InboxFilters]):
    """The case list's query parameters: the inbox's filters, in English."""

    status = serializers.ChoiceField(
        choices=[(OPEN, _("open (any status but closed)")), *Status.choices], required=False
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), required=False, help_text=_("The unit and those below it.")
    )
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.none(), required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    assigned_to_me = serializers.BooleanField(required=False, default=False)
    triage = serializers.BooleanField(
        required=False, default=False, help_text=_("Only cases without a unit yet.")
    )
    received_after = serializers.DateField(
        required=False, help_text=_("Received on or after this day.")
    )
    received_before = serializers.DateField(
        required=False, help_text=_("Received on or before this day.")
    )
    q = Text(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Search in the reference and the text."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:  # absent only while the schema is generated
            units = Unit.objects.visible_to(self.context["user"])
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
                unit__in=units
            )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("received_after"), attrs.get("received_before")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"received_before": _("The end date is before the start date.")}
            )
        return attrs

    def filters(self) -> InboxFilters:
        data = self.validated_data
        return InboxFilters(
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            unit=data.get("unit"),
            category=data.get("category"),
            channel=data.get("channel", ""),
            overdue=data["overdue"],
            mine=data["assigned_to_me"],
            triage=data["triage"],
            received_from=data.get("received_after"),
            received_to=data.get("received_before"),
            search=data.get("q", ""),
        )


class FollowUpFilterSerializer(serializers.Serializer[Any]):
    period = serializers.RegexField(
        r"\A[0-9]{1,4}(?:-[0-9QT]{0,2})?\Z",
        required=False,
        max_length=7,
        help_text=_(
            "Only periods whose code starts with this: 2025 (the whole year), 2025-Q, "
            "2025-T2, 2025-03."
        ),
    )


class CategoryFilterSerializer(serializers.Serializer[Any]):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), required=False, help_text=_("Only this unit's categories.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:
            units = Unit.objects.visible_to(self.context["user"])
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class IndicatorFilterSerializer(serializers.Serializer[Any]):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only the indicators this unit owns."),
    )
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, required=False)
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only active (true) or inactive (false) indicators; both when left out."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:
            units = Unit.objects.visible_to(self.context["user"])
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MeasurementFilterSerializer(serializers.Serializer[Any]):
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.none(), required=False
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only this unit's measurements (not those of the units below it)."),
    )
    period_from = serializers.DateField(
        required=False, help_text=_("Only periods that start on or after this day.")
    )
    period_to = serializers.DateField(
        required=False, help_text=_("Only periods that end on or before this day.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.context:
            user = self.context["user"]
            self.fields["unit"].queryset = Unit.objects.visible_to(user)  # type: ignore[attr-defined]
            self.fields["indicator"].queryset = indicators_visible_to(user)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("period_from"), attrs.get("period_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"period_to": _("The end date is before the start date.")}
            )
        return attrs


class KoladaValueFilterSerializer(serializers.Serializer[Any]):
    kpi = serializers.RegexField(
        r"\A[A-Za-z0-9]{1,20}\Z", required=False, help_text=_("A Kolada KPI id.")
    )
    municipality = serializers.RegexField(
        r"\A[A-Za-z0-9]{1,10}\Z",
        required=False,
        help_text=_("Kolada's id of a municipality; 0000 is Riket."),
    )
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)


class ReplySerializer(serializers.Serializer[Any]):
    text = Text(
        max_length=8000,
        help_text=_("Shown on the citizen's case page, and e-mailed when there is an address."),
    )


class NoteSerializer(serializers.Serializer[Any]):
    text = Text(max_length=4000, help_text=_("Never shown to the citizen."))


CLOSING_OUTCOMES = [choice for choice in Outcome.choices if choice[0] != Outcome.DUPLICATE]
CLOSE_NOTE_LENGTH = 500


class StatusSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[
            ("start", _("start: in progress")),
            ("wait", _("wait: for the citizen or another party; the answer clock stops")),
            ("close", _("close, with an outcome")),
            ("reopen", _("reopen a closed case")),
        ]
    )
    outcome = serializers.ChoiceField(
        choices=CLOSING_OUTCOMES,
        required=False,
        help_text=_("Required to close. A duplicate is closed by merging, on the case page."),
    )
    note = Text(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Waiting: what for. Closing: the reason (no action) or the authority (referred), "
            "at most 500 characters. Reopening: why. Shown to the citizen."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        closing = attrs["action"] == "close"
        if closing and "outcome" not in attrs:
            raise serializers.ValidationError({"outcome": _("Choose an outcome.")})
        if not closing and "outcome" in attrs:
            raise serializers.ValidationError(
                {"outcome": _("An outcome is given only when closing.")}
            )
        if closing and len(attrs["note"]) > CLOSE_NOTE_LENGTH:
            raise serializers.ValidationError(
                {"note": _("The note on the outcome is at most 500 characters.")}
            )
        return attrs


class AssignSerializer(serializers.Serializer[Any]):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        help_text=_("A user who may handle the unit's cases, or null for nobody."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "case" in self.context:
            case, user = self.context["case"], self.context["user"]
            self.fields["handler"].queryset = handlers_for(  # type: ignore[attr-defined]
                case.unit, including=user
            )


class MoveSerializer(serializers.Serializer[Any]):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), help_text=_("Any active unit but the case's own.")
    )
    reason = Text(max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "case" in self.context:
            case = self.context["case"]
            units = Unit.objects.active()
            if case.unit is not None:
                units = units.exclude(pk=case.unit.pk)
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

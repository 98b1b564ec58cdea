"""The staff REST API: the same reads and actions as the staff case pages, through the same
gate (cases.access) and the same services, so the case history and the audit log name the
key's owner. A case the key cannot read is 404; one it can read but not handle is 403.

Service declarations are read-only here, through their own gate (declarations.access):
they are written, approved and published in the staff pages. So are key performance
indicators and their measurements (kpis.access), and the Kolada figures they are compared
with, which are public and the same for every key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from servicenav.api.rest import serializers as s
from servicenav.api.rest.pagination import CasePagination
from servicenav.cases import services
from servicenav.cases.access import get_case_for_user
from servicenav.cases.models import Case, Category
from servicenav.cases.selectors import HistoryEntry, inbox_cases
from servicenav.declarations.access import declarations_visible_to, get_declaration_for_user
from servicenav.declarations.models import Declaration, FollowUp, Version
from servicenav.kpis.access import get_indicator_for_user, indicators_visible_to
from servicenav.kpis.models import Indicator, KoladaValue, Measurement
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.serializers import Serializer

# Every operation may answer these two.
KEY_REFUSALS = {
    401: OpenApiResponse(description="No key, or one that is unknown or revoked."),
    429: OpenApiResponse(description="Over the key's rate limit; see Retry-After."),
}
REFUSALS = {
    400: OpenApiResponse(description="Invalid input, or the action is not possible now."),
    403: OpenApiResponse(description="The key's owner may read the case but not handle it."),
    404: OpenApiResponse(description="No such case, or not one the key's owner may read."),
    **KEY_REFUSALS,
}


def _user(request: Request) -> User:
    # Every view here requires a key, and a key acts as its (active) owner.
    return cast("User", request.user)


@extend_schema_view(
    get=extend_schema(
        summary="List cases",
        description="The cases the key's owner may read, newest first, narrowed by the "
        "same filters as the inbox.",
        parameters=[s.CaseFilterSerializer],
        responses={200: s.CaseListSerializer(many=True), 400: REFUSALS[400], **KEY_REFUSALS},
    )
)
class CaseListView(generics.ListAPIView[Case]):
    serializer_class = s.CaseListSerializer
    pagination_class = CasePagination

    def get_queryset(self) -> QuerySet[Case]:
        user = _user(self.request)
        query = s.CaseFilterSerializer(data=self.request.query_params, context={"user": user})
        query.is_valid(raise_exception=True)
        return inbox_cases(user=user, filters=query.filters())


class CaseDetailView(APIView):
    @extend_schema(
        summary="Read a case",
        description="The full case, contact details and history included (internal notes "
        "have `is_public` false).",
        responses={200: s.CaseDetailSerializer, 404: REFUSALS[404], **KEY_REFUSALS},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        return Response(s.CaseDetailSerializer(case, context={"request": request}).data)


class CaseActionView(APIView):
    # One action: the gate (write), the input serializer, then `perform` calls a service.

    input_serializer: type[Serializer[Any]]

    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        case = get_case_for_user(user, pk, write=True)
        given = self.input_serializer(data=request.data, context={"case": case, "user": user})
        given.is_valid(raise_exception=True)
        return self.perform(request, case, given.validated_data)

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        raise NotImplementedError

    @staticmethod
    def case_as_now(request: Request, case: Case) -> Response:
        """The case after the change, read again through the gate."""
        fresh = get_case_for_user(request.user, case.pk)
        return Response(s.CaseDetailSerializer(fresh, context={"request": request}).data)


def _action_schema(
    summary: str, description: str, request: type[Serializer[Any]], response: Any
) -> Any:
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            description=description,
            request=request,
            responses={**response, **REFUSALS},
        )
    )


@_action_schema(
    "Reply to the citizen",
    "Shown on the citizen's case page, and e-mailed when the case has an address. A new "
    "case goes in progress.",
    s.ReplySerializer,
    {201: s.EventSerializer},
)
class CaseReplyView(CaseActionView):
    input_serializer = s.ReplySerializer

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        event = services.case_reply(case=case, text=data["text"], by=_user(request))
        entry = HistoryEntry(event=event, by_citizen=False, changes=[])
        return Response(s.EventSerializer(entry).data, status=status.HTTP_201_CREATED)


@_action_schema(
    "Add an internal note",
    "Seen by staff only, never by the citizen.",
    s.NoteSerializer,
    {201: s.EventSerializer},
)
class CaseNoteView(CaseActionView):
    input_serializer = s.NoteSerializer

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        event = services.case_note(case=case, text=data["text"], by=_user(request))
        entry = HistoryEntry(event=event, by_citizen=False, changes=[])
        return Response(s.EventSerializer(entry).data, status=status.HTTP_201_CREATED)


STATUS_ACTIONS: dict[str, Callable[[Case, User, dict[str, Any]], None]] = {
    "start": lambda case, by, data: services.case_start(case=case, by=by),
    "wait": lambda case, by, data: services.case_wait(case=case, reason=data["note"], by=by),
    "close": lambda case, by, data: services.case_close(
        case=case, outcome=data["outcome"], note=data["note"], by=by
    ),
    "reopen": lambda case, by, data: services.case_reopen(case=case, reason=data["note"], by=by),
}


@_action_schema(
    "Change the status",
    "Start, wait (the answer clock stops), close with an outcome, or reopen.",
    s.StatusSerializer,
    {200: s.CaseDetailSerializer},
)
class CaseStatusView(CaseActionView):
    input_serializer = s.StatusSerializer

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        STATUS_ACTIONS[data["action"]](case, _user(request), data)
        return self.case_as_now(request, case)


@_action_schema(
    "Assign a handler",
    "Only someone who may handle the unit's cases, as on the case page.",
    s.AssignSerializer,
    {200: s.CaseDetailSerializer},
)
class CaseAssignView(CaseActionView):
    input_serializer = s.AssignSerializer

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        services.case_assign(case=case, to=data["handler"], by=_user(request))
        return self.case_as_now(request, case)


@_action_schema(
    "Move to another unit",
    "The case leaves its category and handler behind.",
    s.MoveSerializer,
    {
        200: s.CaseDetailSerializer,
        204: OpenApiResponse(description="Moved to a unit the key's owner cannot read."),
    },
)
class CaseMoveView(CaseActionView):
    input_serializer = s.MoveSerializer

    def perform(self, request: Request, case: Case, data: dict[str, Any]) -> Response:
        user = _user(request)
        services.case_move(case=case, unit=data["unit"], reason=data["reason"], by=user)
        if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.case_as_now(request, case)


class UnitListView(APIView):
    @extend_schema(
        summary="List units",
        description="The units the key's owner holds a role for, and those below them.",
        responses={200: s.UnitSerializer(many=True), **KEY_REFUSALS},
    )
    def get(self, request: Request) -> Response:
        units = Unit.objects.visible_to(request.user)
        return Response(s.UnitSerializer(units, many=True).data)


class CategoryListView(APIView):
    @extend_schema(
        summary="List categories",
        description="The categories of the units the key's owner may read.",
        parameters=[s.CategoryFilterSerializer],
        responses={200: s.CategorySerializer(many=True), 400: REFUSALS[400], **KEY_REFUSALS},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        query = s.CategoryFilterSerializer(data=request.query_params, context={"user": user})
        query.is_valid(raise_exception=True)
        chosen = query.validated_data.get("unit")
        units = [chosen] if chosen else Unit.objects.visible_to(user)
        categories = Category.objects.filter(unit__in=units).order_by("unit__path", "name_sv")
        return Response(s.CategorySerializer(categories, many=True).data)


# Service declarations, read-only.

DECLARATION_REFUSALS = {
    404: OpenApiResponse(description="No such declaration, or not one the key's owner may read."),
    **KEY_REFUSALS,
}


class DeclarationPagination(CursorPagination):
    ordering: tuple[str, ...] = ("id",)
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class FollowUpPagination(DeclarationPagination):
    ordering = ("-period_start", "id")


def _with_versions(declarations: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """With their versions prefetched newest first, leaving out any without a version."""
    newest_first = Version.objects.select_related("approved_by").order_by("-number")
    return (
        declarations.filter(Exists(Version.objects.filter(declaration=OuterRef("pk"))))
        .select_related("unit", "owner")
        .prefetch_related(Prefetch("versions", queryset=newest_first))
    )


@extend_schema_view(
    get=extend_schema(
        summary="List service declarations",
        description="The declarations of the units the key's owner holds a role for (and "
        "those below them), in every state, each named by its newest version.",
        responses={200: s.DeclarationSerializer(many=True), **KEY_REFUSALS},
    )
)
class DeclarationListView(generics.ListAPIView[Declaration]):
    serializer_class = s.DeclarationSerializer
    pagination_class = DeclarationPagination

    def get_queryset(self) -> QuerySet[Declaration]:
        return _with_versions(declarations_visible_to(_user(self.request)))


class DeclarationDetailView(APIView):
    @extend_schema(
        summary="Read a service declaration",
        description="Every version, newest first, with the promises of the newest one.",
        responses={200: s.DeclarationDetailSerializer, **DECLARATION_REFUSALS},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = get_declaration_for_user(request.user, pk)
        found = _with_versions(Declaration.objects.filter(pk=declaration.pk)).first()
        if found is None:
            raise Http404
        return Response(s.DeclarationDetailSerializer(found).data)


@extend_schema_view(
    get=extend_schema(
        summary="List a declaration's follow-up",
        description="How each promise was kept, period by period, newest period first: "
        "judged from the cases when measurable, assessed by the unit when qualitative, "
        "with the unit's explanation where a promise was not kept.",
        parameters=[s.FollowUpFilterSerializer],
        responses={
            200: s.FollowUpSerializer(many=True),
            400: OpenApiResponse(description="Invalid input."),
            **DECLARATION_REFUSALS,
        },
    )
)
class FollowUpListView(generics.ListAPIView[FollowUp]):
    serializer_class = s.FollowUpSerializer
    pagination_class = FollowUpPagination

    def get_queryset(self) -> QuerySet[FollowUp]:
        declaration = get_declaration_for_user(self.request.user, self.kwargs["pk"])
        query = s.FollowUpFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        follow_ups = FollowUp.objects.filter(commitment__version__declaration=declaration)
        if period := query.validated_data.get("period"):
            follow_ups = follow_ups.filter(period__startswith=period)
        return follow_ups.select_related("commitment", "assessed_by")


# Key performance indicators, read-only.

INDICATOR_REFUSALS = {
    404: OpenApiResponse(description="No such indicator, or not one the key's owner may read."),
    **KEY_REFUSALS,
}


class KpiPagination(DeclarationPagination):
    """By id: stable while measurements are recomputed (they keep their rows)."""


@extend_schema_view(
    get=extend_schema(
        summary="List indicators",
        description="The indicators owned by the units the key's owner holds a role for (and "
        "those below them), narrowed by owner, kind and whether they are active.",
        parameters=[s.IndicatorFilterSerializer],
        responses={
            200: s.IndicatorSerializer(many=True),
            400: OpenApiResponse(description="Invalid input."),
            **KEY_REFUSALS,
        },
    )
)
class IndicatorListView(generics.ListAPIView[Indicator]):
    serializer_class = s.IndicatorSerializer
    pagination_class = KpiPagination

    def get_queryset(self) -> QuerySet[Indicator]:
        user = _user(self.request)
        query = s.IndicatorFilterSerializer(data=self.request.query_params, context={"user": user})
        query.is_valid(raise_exception=True)
        indicators = indicators_visible_to(user).select_related("unit")
        if unit := query.validated_data.get("unit"):
            indicators = indicators.filter(unit=unit)
        if kind := query.validated_data.get("kind"):
            indicators = indicators.filter(kind=kind)
        if (active := query.validated_data.get("active")) is not None:
            indicators = indicators.filter(active=active)
        return indicators


class IndicatorDetailView(APIView):
    @extend_schema(
        summary="Read an indicator",
        description="Its whole definition, in both languages, with its yearly targets.",
        responses={200: s.IndicatorDetailSerializer, **INDICATOR_REFUSALS},
    )
    def get(self, request: Request, pk: int) -> Response:
        indicator = get_indicator_for_user(request.user, pk)
        return Response(s.IndicatorDetailSerializer(indicator).data)


@extend_schema_view(
    get=extend_schema(
        summary="List measurements",
        description="The values of the indicators the key's owner may read, one per "
        "indicator, unit and period, in the order they were first stored: computed from "
        "the cases or surveys, entered or imported by staff, or taken from Kolada.",
        parameters=[s.MeasurementFilterSerializer],
        responses={
            200: s.MeasurementSerializer(many=True),
            400: OpenApiResponse(description="Invalid input."),
            **KEY_REFUSALS,
        },
    )
)
class MeasurementListView(generics.ListAPIView[Measurement]):
    serializer_class = s.MeasurementSerializer
    pagination_class = KpiPagination

    def get_queryset(self) -> QuerySet[Measurement]:
        user = _user(self.request)
        query = s.MeasurementFilterSerializer(
            data=self.request.query_params, context={"user": user}
        )
        query.is_valid(raise_exception=True)
        given = query.validated_data
        measurements = Measurement.objects.filter(indicator__in=indicators_visible_to(user))
        if indicator := given.get("indicator"):
            measurements = measurements.filter(indicator=indicator)
        if unit := given.get("unit"):
            measurements = measurements.filter(unit=unit)
        if start := given.get("period_from"):
            measurements = measurements.filter(period_start__gte=start)
        if end := given.get("period_to"):
            measurements = measurements.filter(period_end__lte=end)
        return measurements.select_related("unit", "entered_by")


@extend_schema_view(
    get=extend_schema(
        summary="List Kolada figures",
        description="The Kolada figures stored for comparison (Källa: Kolada): one per KPI, "
        "municipality and year. Figures with `demo` true are made up for the demo.",
        parameters=[s.KoladaValueFilterSerializer],
        responses={
            200: s.KoladaValueSerializer(many=True),
            400: OpenApiResponse(description="Invalid input."),
            **KEY_REFUSALS,
        },
    )
)
class KoladaValueListView(generics.ListAPIView[KoladaValue]):
    serializer_class = s.KoladaValueSerializer
    pagination_class = KpiPagination

    def get_queryset(self) -> QuerySet[KoladaValue]:
        query = s.KoladaValueFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        values = KoladaValue.objects.all()
        if kpi := given.get("kpi"):
            values = values.filter(kpi=kpi.upper())
        if municipality := given.get("municipality"):
            values = values.filter(municipality=municipality)
        if year := given.get("year"):
            values = values.filter(year=year)
        return values

"""Demo key performance indicators: six for each of three demo units, across the four kinds,
with yearly targets, two years of values, imported telephony figures and Kolada comparison
figures that are clearly demo figures.

- Luleå kommun measures the whole municipality's feedback handling from the demo cases and
  the citizen survey's overall index; Tekniska förvaltningen its own feedback handling;
  Kontaktcenter its telephony (a figure measured elsewhere), its service survey and its
  answers on time. Every unit covers reachability, waiting time, lead time and result.
- Indicators are defined through `services.indicator_create` and `services.target_set`, as
  the demo's quality coordinator, so the audit log tells it and the per-unit limit holds.
  Targets are set for last year and this year; where this year's differs, the plan raised
  or lowered the bar.
- Values are computed from the data, after the cases and surveys demo: case-sourced ones by
  `compute.compute_all` over the last 24 months, survey-sourced ones by
  `survey_compute.compute_survey_indicators` for every closed round.
- Kontaktcenter's telephony figures (share of calls answered within 60 seconds) come from
  `demo_data/telefoni_kontaktcenter.csv`, the telephony system's monthly report; they are
  written as staff-entered ("manual") measurements, in one `bulk_create`.
- `demo_data/kolada.json` holds made-up figures in Kolada's shape for four KPIs: Luleå,
  Riket, a group of similar municipalities and about forty others, over five years. Every
  row is stored with `demo` set. Four indicators are linked to those KPIs, found by their
  title: the KPI ids live only in the data file. One of them takes its own yearly values
  from Luleå's Kolada figures (source "kolada"), written here as `kolada_sync` would.

Both files are recorded at fixed dates; the loader moves them so that the telephony report
ends with the last ended month and Kolada's newest year is last year, as the other demo
data is told up to today. Running it again adds only what is missing (and recomputes)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from servicenav.core.periods import Period, PeriodKind, add_months
from servicenav.core.progress import progress
from servicenav.kpis import services
from servicenav.kpis.compute import compute_all
from servicenav.kpis.models import (
    Indicator,
    Kind,
    KoladaGroup,
    KoladaKpi,
    KoladaValue,
    Measurement,
    Source,
    Statistic,
    UnitOfMeasure,
)
from servicenav.kpis.survey_compute import compute_survey_indicators
from servicenav.organisation.models import Unit, User
from servicenav.surveys.models import Question, Survey

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.core.progress import Writable

COORDINATOR = "kvalitet"
DATA = Path(__file__).resolve().parent / "demo_data"
KOLADA_FILE = DATA / "kolada.json"
TELEPHONY_FILE = DATA / "telefoni_kontaktcenter.csv"
TELEPHONY_UNIT, TELEPHONY_CODE = "kontaktcenter", "telefon-60s"
TELEPHONY_COMMENT = "Importerad från telefonisystemets månadsrapport (demo)"
RIKET = "0000"
MONTHS = 24
_TENTH = Decimal("0.1")

# The demo Kolada KPIs the indicators are compared with, by title (see kolada.json).
KOLADA_PHONE = (
    "Andel medborgare som ringer kommunen och får kontakt med en handläggare inom 60 "
    "sekunder, % (demo)"
)
KOLADA_EMAIL = (
    "Andel medborgare som skickar en enkel fråga via e-post och får svar inom en arbetsdag, "
    "% (demo)"
)
KOLADA_SATISFACTION = (
    "Medborgarnas helhetsbedömning av kommunens verksamheter, index (0–100) (demo)"
)
KOLADA_TREATMENT = (
    "Andel medborgare som upplever ett gott bemötande vid kontakt med kommunen, % (demo)"
)

# The demo surveys, by their Swedish titles (see surveys.demo_texts).
CITIZEN_SURVEY = "Medborgarundersökning"
SERVICE_SURVEY = "Servicemätning Kontaktcenter"
SERVICE_SURVEY_EN = "Contact Centre's service survey"


@dataclass(frozen=True)
class Asked:
    """The survey question an indicator is computed from, by the survey's title and the
    question's Swedish wording; `top` scale steps count as positive for a share."""

    survey_sv: str
    question_sv: str
    survey_en: str
    question_en: str
    measure: str = "index"
    top: int | None = None


@dataclass(frozen=True)
class Spec:
    """One demo indicator. `targets` are last year's and this year's."""

    code: str
    name_sv: str
    name_en: str
    kind: Kind
    definition_sv: str
    definition_en: str
    unit_of_measure: UnitOfMeasure
    targets: tuple[str, str]
    source: Source = Source.CASES
    statistic: Statistic | None = None
    params: Mapping[str, int] = field(default_factory=dict)
    asked: Asked | None = None
    higher_is_better: bool = True
    period_kind: PeriodKind = PeriodKind.MONTH
    min_cases: int = 5
    kolada_title: str = ""


# The words every case-sourced definition shares.
FEEDBACK_SV = (
    "synpunkter (klagomål, förslag, frågor och beröm) till enheten och enheterna under den, "
    "utom ärenden som slagits ihop med ett annat"
)
FEEDBACK_EN = (
    "feedback (complaints, suggestions, questions and praise) to the unit and the units below "
    "it, leaving out cases merged into another"
)
ANSWER_SV = "första svaret till den som skrev eller första avslutet, det som kom först"
ANSWER_EN = "the first reply to the sender or the first close, whichever came first"


def _acknowledged(targets: tuple[str, str]) -> Spec:
    return Spec(
        code="kvittens-2d",
        name_sv="Bekräftade inom 2 arbetsdagar",
        name_en="Acknowledged within 2 working days",
        kind=Kind.REACHABILITY,
        definition_sv=(
            f"Start: synpunkten tas emot. Stopp: enheten bekräftar att den tagit emot den. "
            f"Population: {FEEDBACK_SV}. Mått: andel (%) som bekräftades senast 2 arbetsdagar "
            "efter mottagandet, räknad i den månad då fristen gick ut, med 95 % "
            "konfidensintervall. Period: kalendermånad."
        ),
        definition_en=(
            f"Start: the feedback is received. Stop: the unit acknowledges it. Population: "
            f"{FEEDBACK_EN}. Statistic: share (%) acknowledged at most 2 working days after it "
            "was received, counted in the month the limit fell due, with a 95 % interval. "
            "Period: calendar month."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        statistic=Statistic.SHARE_ACKNOWLEDGED_WITHIN,
        params={"limit_days": 2},
        targets=targets,
    )


def _on_time(targets: tuple[str, str], period: PeriodKind, min_cases: int) -> Spec:
    period_sv, period_en = (
        ("kalendermånad", "calendar month")
        if period == PeriodKind.MONTH
        else ("tertial (januari–april, maj–augusti, september–december)", "four-month tertial")
    )
    return Spec(
        code="svar-i-tid",
        name_sv="Besvarade inom svarstiden",
        name_en="Answered within the answer deadline",
        kind=Kind.LEAD_TIME,
        definition_sv=(
            f"Start: synpunkten tas emot. Stopp: {ANSWER_SV}. Population: {FEEDBACK_SV}, vars "
            "svarsfrist (förlängd med tid då ärendet väntat på någon annan) gick ut under "
            "perioden. Mått: andel (%) besvarade senast på fristens sista dag, med 95 % "
            f"konfidensintervall. Period: {period_sv}."
        ),
        definition_en=(
            f"Start: the feedback is received. Stop: {ANSWER_EN}. Population: {FEEDBACK_EN}, "
            "whose answer deadline (moved on by time spent waiting for someone else) fell in "
            "the period. Statistic: share (%) answered by the deadline's last day, with a "
            f"95 % interval. Period: {period_en}."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        statistic=Statistic.SHARE_ANSWERED_BY_DEADLINE,
        targets=targets,
        period_kind=period,
        min_cases=min_cases,
    )


def _past_deadline(targets: tuple[str, str]) -> Spec:
    return Spec(
        code="oppna-sena",
        name_sv="Öppna ärenden efter svarstiden",
        name_en="Open cases past their deadline",
        kind=Kind.WAITING_TIME,
        definition_sv=(
            f"Start: synpunkten tas emot. Stopp: ärendet avslutas. Population: {FEEDBACK_SV}, "
            "som var öppna vid periodens slut. Mått: antal vars svarsfrist hade gått ut då – "
            "medborgare som fortfarande väntar. Period: kalendermånad, räknat sista dagen."
        ),
        definition_en=(
            f"Start: the feedback is received. Stop: the case is closed. Population: "
            f"{FEEDBACK_EN}, open at the end of the period. Statistic: the number whose answer "
            "deadline had passed by then – citizens still waiting. Period: calendar month, "
            "counted on its last day."
        ),
        unit_of_measure=UnitOfMeasure.COUNT,
        statistic=Statistic.OPEN_OLDER_THAN_DEADLINE,
        higher_is_better=False,
        targets=targets,
    )


def _days_to_answer(code: str, statistic: Statistic, targets: tuple[str, str]) -> Spec:
    median = statistic == Statistic.MEDIAN_DAYS_TO_ANSWER
    what_sv, what_en = ("median", "median") if median else ("90:e percentil", "90th percentile")
    return Spec(
        code=code,
        name_sv=f"Arbetsdagar till svar, {what_sv}",
        name_en=f"Working days to answer, {what_en}",
        kind=Kind.LEAD_TIME,
        definition_sv=(
            f"Start: synpunkten tas emot. Stopp: {ANSWER_SV}. Population: {FEEDBACK_SV}, "
            f"besvarade under perioden. Mått: {what_sv} av antalet arbetsdagar från start till "
            "stopp (väntan på den som skrev räknas med). Period: kalendermånad."
        ),
        definition_en=(
            f"Start: the feedback is received. Stop: {ANSWER_EN}. Population: {FEEDBACK_EN}, "
            f"answered in the period. Statistic: the {what_en} of the working days from start "
            "to stop (waiting for the sender included). Period: calendar month."
        ),
        unit_of_measure=UnitOfMeasure.WORKING_DAYS,
        statistic=statistic,
        higher_is_better=False,
        targets=targets,
    )


def _survey_index(
    code: str, names: tuple[str, str], kind: Kind, asked: Asked, targets: tuple[str, str]
) -> Spec:
    yearly = asked.survey_sv == CITIZEN_SURVEY
    period_sv, period_en = ("år", "year") if yearly else ("kalendermånad", "calendar month")
    return Spec(
        code=code,
        name_sv=names[0],
        name_en=names[1],
        kind=kind,
        definition_sv=(
            f"Start och stopp: en svarsomgång i ”{asked.survey_sv}”, från öppnandet till "
            f"stängningen. Population: de som svarat på frågan ”{asked.question_sv}” (vet ej "
            "räknas inte). Mått: index 0–100 (lägsta skalsteget 0, högsta 100), medelvärde med "
            f"95 % konfidensintervall. Period: {period_sv}, den som omgången stänger i."
        ),
        definition_en=(
            f"Start and stop: a round of the “{asked.survey_en}”, from opening to closing. "
            f"Population: those who answered the question “{asked.question_en}” "
            "(don't know is left out). Statistic: index 0–100 (lowest step 0, highest 100), "
            f"the mean with a 95 % interval. Period: {period_en}, the one the round closes in."
        ),
        unit_of_measure=UnitOfMeasure.INDEX,
        source=Source.SURVEYS,
        asked=asked,
        period_kind=PeriodKind.YEAR if yearly else PeriodKind.MONTH,
        min_cases=30 if yearly else 10,
        targets=targets,
        kolada_title=KOLADA_SATISFACTION if yearly else "",
    )


LULEA = [
    _acknowledged(("90", "92")),
    Spec(
        code="epost-1d",
        name_sv="E-post besvarad inom en arbetsdag",
        name_en="E-mail answered within one working day",
        kind=Kind.REACHABILITY,
        definition_sv=(
            "Start: ett testmejl med en enkel fråga skickas till kommunen. Stopp: svaret "
            "kommer. Population: årets testmejl i undersökningen bakom Koladas mått. Mått: "
            "andel (%) besvarade inom en arbetsdag, Luleås värde i Kolada. Period: år."
        ),
        definition_en=(
            "Start: a test e-mail with a simple question is sent to the municipality. Stop: "
            "the answer arrives. Population: the year's test e-mails in the study behind "
            "Kolada's measure. Statistic: share (%) answered within one working day, Luleå's "
            "value in Kolada. Period: year."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        source=Source.KOLADA,
        period_kind=PeriodKind.YEAR,
        min_cases=1,
        targets=("75", "80"),
        kolada_title=KOLADA_EMAIL,
    ),
    _past_deadline(("3", "2")),
    _on_time(("90", "92"), PeriodKind.MONTH, 5),
    _days_to_answer("svarstid-median", Statistic.MEDIAN_DAYS_TO_ANSWER, ("6", "5")),
    _survey_index(
        "nmi-verksamheter",
        ("Nöjdhet med kommunens verksamheter", "Satisfaction with the municipality's services"),
        Kind.RESULT,
        Asked(
            CITIZEN_SURVEY,
            "Hur nöjd är du sammantaget med kommunens verksamheter?",
            "citizen survey",
            "Overall, how satisfied are you with the municipality's services?",
        ),
        ("60", "62"),
    ),
]

TEKNIK = [
    _acknowledged(("85", "90")),
    Spec(
        code="oppen-alder",
        name_sv="Väntetid i öppna ärenden, median",
        name_en="Waiting time in open cases, median",
        kind=Kind.WAITING_TIME,
        definition_sv=(
            f"Start: synpunkten tas emot. Stopp: periodens sista dag. Population: "
            f"{FEEDBACK_SV}, som var öppna vid periodens slut. Mått: median av antalet "
            "arbetsdagar de väntat, så att en växande kö syns. Period: kalendermånad."
        ),
        definition_en=(
            f"Start: the feedback is received. Stop: the last day of the period. Population: "
            f"{FEEDBACK_EN}, open at the end of the period. Statistic: the median of the "
            "working days they have waited, so that a growing backlog shows. Period: calendar "
            "month."
        ),
        unit_of_measure=UnitOfMeasure.WORKING_DAYS,
        statistic=Statistic.OPEN_AGE_MEDIAN,
        higher_is_better=False,
        min_cases=3,
        targets=("5", "5"),
    ),
    _past_deadline(("2", "1")),
    _on_time(("88", "90"), PeriodKind.MONTH, 5),
    _days_to_answer("svarstid-p90", Statistic.P90_DAYS_TO_ANSWER, ("15", "12")),
    Spec(
        code="berom-andel",
        name_sv="Andel beröm",
        name_en="Share of praise",
        kind=Kind.RESULT,
        definition_sv=(
            f"Start och stopp: synpunkten tas emot. Population: {FEEDBACK_SV}, mottagna under "
            "perioden. Mått: andel (%) som är beröm, med 95 % konfidensintervall. Period: "
            "kalendermånad."
        ),
        definition_en=(
            f"Start and stop: the feedback is received. Population: {FEEDBACK_EN}, received "
            "in the period. Statistic: share (%) that is praise, with a 95 % interval. Period: "
            "calendar month."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        statistic=Statistic.SHARE_PRAISE,
        targets=("20", "22"),
    ),
]

KONTAKTCENTER = [
    Spec(
        code=TELEPHONY_CODE,
        name_sv="Samtal besvarade inom 60 sekunder",
        name_en="Calls answered within 60 seconds",
        kind=Kind.REACHABILITY,
        definition_sv=(
            "Start: samtalet kommer in till kontaktcenter. Stopp: en handläggare svarar. "
            "Population: alla inkommande samtal till kontaktcenters nummer, även de där den "
            "som ringde lade på. Mått: andel (%) besvarade inom 60 sekunder, ur "
            "telefonisystemets månadsrapport. Period: kalendermånad."
        ),
        definition_en=(
            "Start: the call reaches the Contact Centre. Stop: a member of staff answers. "
            "Population: every incoming call to the Contact Centre's number, those where the "
            "caller hung up included. Statistic: share (%) answered within 60 seconds, from "
            "the telephony system's monthly report. Period: calendar month."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        source=Source.MANUAL,
        targets=("70", "75"),
        kolada_title=KOLADA_PHONE,
    ),
    _survey_index(
        "latt-att-na",
        ("Lätt att komma i kontakt", "Easy to get in touch"),
        Kind.REACHABILITY,
        Asked(
            SERVICE_SURVEY,
            "Hur lätt var det att komma i kontakt med oss?",
            SERVICE_SURVEY_EN,
            "How easy was it to get in touch with us?",
        ),
        ("75", "78"),
    ),
    _survey_index(
        "upplevd-vantetid",
        ("Upplevd väntetid", "Waiting time as experienced"),
        Kind.WAITING_TIME,
        Asked(
            SERVICE_SURVEY,
            "Hur upplevde du väntetiden?",
            SERVICE_SURVEY_EN,
            "How did you find the waiting time?",
        ),
        ("70", "72"),
    ),
    _on_time(("85", "90"), PeriodKind.TERTIAL, 3),
    Spec(
        code="gott-bemotande",
        name_sv="Gott bemötande",
        name_en="Good treatment",
        kind=Kind.RESULT,
        definition_sv=(
            "Start och stopp: en månads svarsomgång av servicemätningen, från öppnandet till "
            "stängningen. Population: de som svarat på frågan ”Hur var bemötandet?” (vet ej "
            "räknas inte). Mått: andel (%) som svarat 4 eller 5 på skalan 1–5, med 95 % "
            "konfidensintervall. Period: kalendermånad, den som omgången stänger i."
        ),
        definition_en=(
            "Start and stop: a monthly round of the service survey, from opening to closing. "
            "Population: those who answered the question “How were you treated?” (don't know "
            "is left out). Statistic: share (%) who answered 4 or 5 on the 1–5 scale, with a "
            "95 % interval. Period: calendar month, the one the round closes in."
        ),
        unit_of_measure=UnitOfMeasure.PERCENT,
        source=Source.SURVEYS,
        asked=Asked(
            SERVICE_SURVEY,
            "Hur var bemötandet?",
            SERVICE_SURVEY_EN,
            "How were you treated?",
            measure="share",
            top=2,
        ),
        min_cases=10,
        targets=("88", "90"),
        kolada_title=KOLADA_TREATMENT,
    ),
    _survey_index(
        "kontakt-helhet",
        ("Kontakten som helhet", "The contact overall"),
        Kind.RESULT,
        Asked(
            SERVICE_SURVEY,
            "Hur var din kontakt med oss som helhet?",
            SERVICE_SURVEY_EN,
            "How was your contact with us overall?",
        ),
        ("78", "80"),
    ),
]

INDICATORS: dict[str, list[Spec]] = {
    "lulea": LULEA,
    "teknik": TEKNIK,
    TELEPHONY_UNIT: KONTAKTCENTER,
}


def load_demo_kpis(*, stdout: Writable, today: date) -> int:
    """Add the demo Kolada figures, indicators, targets and telephony figures the database
    does not have yet, then compute every case-sourced indicator for the last 24 months.
    Returns how many indicators were added."""
    with transaction.atomic():
        kolada = _load_kolada(today)
        by = User.objects.get(username=COORDINATOR)
        units = {unit.slug: unit for unit in Unit.objects.filter(slug__in=INDICATORS)}
        wanted = [(slug, spec) for slug, specs in INDICATORS.items() for spec in specs]
        added, skipped = 0, 0
        for slug, spec in progress(wanted, label="Indicators", stream=stdout):
            unit = units.get(slug)
            if unit is None or Indicator.objects.filter(unit=unit, code=spec.code).exists():
                continue
            params = _params(spec, unit)
            if params is None:
                skipped += 1
                continue
            _define(spec, unit, params, by, today)
            added += 1
        telephony = _load_telephony(units.get(TELEPHONY_UNIT), by, today)
        kolada_measured = _measure_from_kolada(list(units.values()))
    indicators, measurements = compute_all(today=today, months=MONTHS)
    surveyed, survey_measurements = compute_survey_indicators(today=today)
    note = f", {skipped} left out for want of their survey" if skipped else ""
    stdout.write(
        f"Demo indicators: {added} new{note}; {telephony} new telephony figures; {kolada} new "
        f"Kolada demo figures and {kolada_measured} yearly values from them; {measurements} "
        f"measurements of {indicators} indicators computed from the cases and "
        f"{survey_measurements} of {surveyed} from the surveys.\n"
    )
    return added


def _params(spec: Spec, unit: Unit) -> dict[str, Any] | None:
    """The indicator's parameters; for a survey's question, None when the demo survey or
    question is not there."""
    if spec.asked is None:
        return dict(spec.params)
    asked = spec.asked
    question = Question.objects.filter(
        survey__in=Survey.objects.filter(unit=unit, title_sv=asked.survey_sv),
        text_sv=asked.question_sv,
    ).first()
    if question is None:
        return None
    params: dict[str, Any] = {
        "survey": question.survey_id,
        "question": question.pk,
        "measure": asked.measure,
    }
    if asked.top is not None:
        params["top"] = asked.top
    return params


def _define(spec: Spec, unit: Unit, params: dict[str, Any], by: User, today: date) -> None:
    kolada_kpi = ""
    if spec.kolada_title:
        found = KoladaKpi.objects.filter(demo=True, title=spec.kolada_title).first()
        kolada_kpi = found.pk if found else ""
    indicator = services.indicator_create(
        unit=unit,
        by=by,
        code=spec.code,
        name_sv=spec.name_sv,
        name_en=spec.name_en,
        kind=spec.kind,
        definition_sv=spec.definition_sv,
        definition_en=spec.definition_en,
        statistic=spec.statistic or "",
        source=spec.source,
        params=params,
        unit_of_measure=spec.unit_of_measure,
        higher_is_better=spec.higher_is_better,
        period_kind=spec.period_kind.value,
        min_cases=spec.min_cases,
        kolada_kpi=kolada_kpi,
    )
    for year, value in zip((today.year - 1, today.year), spec.targets, strict=True):
        services.target_set(indicator=indicator, year=year, value=Decimal(value), by=by)


# Telephony figures.


def _load_telephony(unit: Unit | None, by: User, today: date) -> int:
    """The telephony report's months as manual measurements of Kontaktcenter's telephony
    indicator, the last row as the last ended month; returns how many were added."""
    indicator = Indicator.objects.filter(unit=unit, code=TELEPHONY_CODE).first()
    if unit is None or indicator is None:
        return 0
    with TELEPHONY_FILE.open(encoding="utf-8", newline="") as report:
        rows = list(csv.reader(report, delimiter=";"))[1:]
    first_month = add_months(today.replace(day=1), -len(rows))
    have = set(indicator.measurements.values_list("period", flat=True))
    measurements = []
    for place, (_month, calls, answered) in enumerate(rows):
        period = Period.containing(add_months(first_month, place), PeriodKind.MONTH)
        if period.code in have:
            continue
        measurements.append(_telephony_figure(indicator, period, int(calls), int(answered), by=by))
    Measurement.objects.bulk_create(measurements)
    return len(measurements)


def _telephony_figure(
    indicator: Indicator, period: Period, calls: int, answered: int, *, by: User
) -> Measurement:
    share = (Decimal(answered * 100) / Decimal(calls)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    # Entered a few days after the report came out (or just now, early in a month).
    entered = min(
        datetime.combine(
            period.end + timedelta(days=5), time(9), tzinfo=timezone.get_default_timezone()
        ),
        timezone.now(),
    )
    return Measurement(
        indicator=indicator,
        unit=indicator.unit,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        value=share,
        n=calls,
        source=Source.MANUAL,
        computed_at=entered,
        entered_by=by,
        comment=TELEPHONY_COMMENT,
    )


# Kolada figures.


def _measure_from_kolada(units: list[Unit]) -> int:
    """The yearly measurements of the demo units' Kolada-sourced indicators: the own
    municipality's demo value of the linked KPI, where there is no measurement yet."""
    own = settings.SERVICENAV_KOLADA_MUNICIPALITY
    rows = []
    indicators = Indicator.objects.filter(unit__in=units, source=Source.KOLADA).exclude(
        kolada_kpi=""
    )
    for indicator in indicators.select_related("unit"):
        have = set(indicator.measurements.values_list("period", flat=True))
        for figure in KoladaValue.objects.filter(kpi=indicator.kolada_kpi, municipality=own):
            period = Period.containing(date(figure.year, 1, 1), PeriodKind.YEAR)
            if period.code in have or figure.value is None:
                continue
            rows.append(
                Measurement(
                    indicator=indicator,
                    unit=indicator.unit,
                    period=period.code,
                    period_start=period.start,
                    period_end=period.end,
                    value=figure.value.quantize(Decimal("0.01")),
                    source=Source.KOLADA,
                    computed_at=figure.fetched_at,
                )
            )
    Measurement.objects.bulk_create(rows)
    return len(rows)


def _load_kolada(today: date) -> int:
    """The demo KPIs, group and values; the newest year is moved to last year. Returns how
    many values were added."""
    recorded = json.loads(KOLADA_FILE.read_text(encoding="utf-8"))
    now = timezone.now()
    for kpi in recorded["kpis"]:
        KoladaKpi.objects.get_or_create(
            id=kpi["id"],
            defaults={
                "title": kpi["title"],
                "description": kpi["description"],
                "operating_area": kpi["operating_area"],
                "demo": True,
                "fetched_at": now,
            },
        )
    for group in recorded["groups"]:
        KoladaGroup.objects.get_or_create(
            id=group["id"],
            defaults={"title": group["title"], "members": group["members"], "demo": True},
        )
    shift = today.year - 1 - max(recorded["years"])
    years = [year + shift for year in recorded["years"]]
    have = set(
        KoladaValue.objects.filter(kpi__in=recorded["values"]).values_list(
            "kpi", "municipality", "year"
        )
    )
    values = [
        KoladaValue(
            kpi=kpi,
            municipality=municipality,
            year=year,
            value=Decimal(str(value)),
            count=recorded["riket_counts"][kpi][place] if municipality == RIKET else 1,
            demo=True,
            fetched_at=now,
        )
        for kpi, table in recorded["values"].items()
        for municipality, series in table.items()
        for place, (year, value) in enumerate(zip(years, series, strict=True))
        if value is not None and (kpi, municipality, year) not in have
    ]
    KoladaValue.objects.bulk_create(values, batch_size=500)
    return len(values)

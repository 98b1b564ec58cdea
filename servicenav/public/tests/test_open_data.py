"""The open-data files: every dataset as CSV and JSON with the same rows, the licence on
each, the same bytes in every language, spreadsheet-safe cells, and what each dataset holds
and leaves out (inactive indicators, unpublished survey questions, open rounds), with small
figures suppressed and their n kept."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from servicenav.organisation.services import unit_update
from servicenav.public.feedback import feedback_statistics_refresh
from servicenav.public.opendata import DATASETS
from servicenav.public.tests.conftest import FORMULA, TODAY, answered_after
from servicenav.surveys.analysis import analyse_round

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[list[str], list[dict[str, str]]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def read_json(response) -> dict:
    assert response.status_code == 200
    return json.loads(response.content)


def rows_of(client, slug: str) -> list[dict]:
    return read_json(client.get(f"/oppna-data/{slug}.json"))["rows"]


def same_cell(text: str, value) -> bool:
    """A CSV cell says what the JSON value says."""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int | float):
        return Decimal(text) == Decimal(str(value))
    return text in (value, "'" + value)


def test_every_dataset_comes_as_csv_and_json_with_the_same_rows(client, world):
    for dataset in DATASETS:
        header, csv_rows = read_csv(client.get(f"/oppna-data/{dataset.slug}.csv"))
        document = read_json(client.get(f"/oppna-data/{dataset.slug}.json"))

        assert header == dataset.column_names == document["columns"]
        assert document["dataset"] == dataset.slug
        assert len(csv_rows) == len(document["rows"]) > 0, dataset.slug
        for text_row, value_row in zip(csv_rows, document["rows"], strict=True):
            for name in header:
                assert same_cell(text_row[name], value_row[name]), (dataset.slug, name)


def test_each_file_carries_the_licence(client, world, settings):
    settings.SERVICENAV_OPEN_DATA_LICENCE = "https://example.org/licens/1.0/"
    link = '<https://example.org/licens/1.0/>; rel="license"'

    for dataset in DATASETS:
        as_csv = client.get(f"/oppna-data/{dataset.slug}.csv")
        as_json = client.get(f"/oppna-data/{dataset.slug}.json")

        assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
        assert as_csv.content.startswith("\ufeff".encode())
        assert as_csv["Link"] == link
        assert as_csv["Content-Disposition"] == f'attachment; filename="{dataset.slug}.csv"'
        assert as_json["Content-Type"] == "application/json; charset=utf-8"
        assert json.loads(as_json.content)["license"] == "https://example.org/licens/1.0/"
        assert as_json["Link"] == link
        assert as_json["Access-Control-Allow-Origin"] == "*"


def test_a_file_is_the_same_whatever_language_the_reader_prefers(client, world):
    for dataset in DATASETS:
        url = f"/oppna-data/{dataset.slug}"
        swedish = client.get(url + ".csv", HTTP_ACCEPT_LANGUAGE="sv")
        english = client.get(url + ".csv", HTTP_ACCEPT_LANGUAGE="en")
        assert swedish.content == english.content
        documents = [
            json.loads(client.get(url + ".json", HTTP_ACCEPT_LANGUAGE=lang).content)
            for lang in ("sv", "en")
        ]
        for document in documents:
            document.pop("generated_at")
        assert documents[0] == documents[1]
    assert client.get("/en/oppna-data/synpunktsstatistik.csv").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/oppna-data/okand.csv",
        "/oppna-data/synpunktsstatistik.xlsx",
        "/oppna-data/synpunktsstatistik",
        "/oppna-data/SYNPUNKTSSTATISTIK.csv",
        "/oppna-data/synpunktsstatistik.csv/",
    ],
)
def test_unknown_datasets_and_formats_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_files_are_only_read(client, world):
    assert client.post("/oppna-data/synpunktsstatistik.csv").status_code == 405
    assert client.head("/oppna-data/synpunktsstatistik.csv").status_code == 200


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(client, world):
    _header, rows = read_csv(client.get("/oppna-data/enkatresultat.csv"))
    labels = {row["option_sv"] for row in rows}
    assert "'" + FORMULA in labels
    assert FORMULA not in labels
    assert FORMULA in {row["option_sv"] for row in rows_of(client, "enkatresultat")}


# --- Feedback statistics ------------------------------------------------------------------


def test_feedback_rows_hide_figures_of_few_cases_and_keep_the_counts(client, world, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 5
    rows = rows_of(client, "synpunktsstatistik")

    assert {row["period_type"] for row in rows} == {"month", "quarter", "year"}
    assert {row["kind"] for row in rows} == {"all", "complaint", "suggestion", "praise", "question"}
    for row in rows:
        assert row["received"] or row["answered"] or row["deadline_cases"]
        few_answered = 0 < row["answered"] < 5
        assert row["answer_times_suppressed"] is few_answered
        assert (row["median_working_days_to_answer"] is None) is (row["answered"] < 5)
        assert (row["p90_working_days_to_answer"] is None) is (row["answered"] < 5)
        assert row["deadline_share_suppressed"] is (0 < row["deadline_cases"] < 5)
        assert (row["share_answered_by_deadline"] is None) is (row["deadline_cases"] < 5)
        if row["kind"] == "all":
            assert row["share_praise_suppressed"] is (0 < row["received"] < 5)
        else:
            assert row["share_praise"] is None
            assert row["share_praise_suppressed"] is None
    assert any(row["answer_times_suppressed"] for row in rows)
    assert any(row["median_working_days_to_answer"] is not None for row in rows)


def test_feedback_of_a_closed_down_unit_counts_above_it_only(client, world):
    tree = world.tree
    before = {
        (row["unit_id"], row["period"]): row["received"]
        for row in rows_of(client, "synpunktsstatistik")
        if row["kind"] == "all"
    }
    unit_update(unit=tree.vatten, by=None, active=False)
    cache.clear()

    rows = rows_of(client, "synpunktsstatistik")

    assert tree.vatten.pk not in {row["unit_id"] for row in rows}
    teknik = {
        row["period"]: row["received"]
        for row in rows
        if row["unit_id"] == tree.teknik.pk and row["kind"] == "all"
    }
    assert teknik["2026"] == before[tree.teknik.pk, "2026"] > 0


# --- Key performance indicators ------------------------------------------------------------


def test_measurements_of_active_indicators_with_targets_sources_and_suppression(client, world):
    rows = rows_of(client, "nyckeltal")
    by_code: dict[str, list[dict]] = {}
    for row in rows:
        by_code.setdefault(row["indicator_code"], []).append(row)

    assert set(by_code) == {"berom", "nojd", "kolada"}  # not the inactive one
    [manual] = by_code["nojd"]
    assert (manual["value"], manual["n"], manual["suppressed"]) == (None, 3, True)
    [kolada] = by_code["kolada"]
    assert (kolada["value"], kolada["source"], kolada["kolada_kpi"]) == (64.0, "kolada", "U00401")
    assert kolada["suppressed"] is False
    assert kolada["n"] is None
    praise = {row["unit_id"]: row for row in by_code["berom"]}
    assert set(praise) == {world.tree.teknik.pk, world.tree.gata.pk, world.tree.vatten.pk}
    for row in praise.values():
        assert row["target"] == 30.0
        assert row["period"] == "2026-04"
        assert row["suppressed"] is (0 < row["n"] < 5)
        assert (row["value"] is None) is (row["n"] < 5)
    assert any(row["value"] is not None for row in praise.values())


def test_definitions_of_the_active_indicators(client, world):
    rows = rows_of(client, "nyckeltalsdefinitioner")
    assert [row["indicator_code"] for row in rows] == ["kolada", "berom", "nojd"]
    assert rows[1]["definition_sv"] == "Andel beröm bland synpunkterna."


# --- Declarations --------------------------------------------------------------------------


def test_the_follow_up_of_each_promise_in_force_by_period(client, world, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 5
    rows = rows_of(client, "deklarationsuppfoljning")

    assert [row["period"] for row in rows] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    promise = world.declaration.commitments.get()
    for row in rows:
        assert row["promise_key"] == str(promise.key)
        assert row["promise_sv"] == promise.text_sv
        assert row["declaration_id"] == world.declaration.declaration_id
        assert row["result"] in {"kept", "not_kept", "not_enough_data"}
        assert row["suppressed"] is (0 < (row["cases"] or 0) < 5)
        if row["suppressed"]:
            assert row["share"] is None
    assert any(row["cases"] for row in rows)


# --- Surveys -----------------------------------------------------------------------------


def test_only_public_questions_of_closed_rounds_are_published(client, world):
    rows = rows_of(client, "enkatresultat")

    assert {row["round_id"] for row in rows} == {world.survey_round.pk}
    assert {row["question_en"] for row in rows} == {"Satisfied?", "Got an answer?", "Age"}
    assert {(row["question_kind"], row["measure"]) for row in rows} == {
        ("scale", "index"),
        ("scale", "top_box"),
        ("yes_no", "share_yes"),
        ("single", "option_share"),
    }
    assert all(row["respondents"] == 12 for row in rows)


def test_survey_figures_are_the_analysis_figures(client, world):
    rows = {
        (row["question_en"], row["measure"], row["option"]): row
        for row in rows_of(client, "enkatresultat")
    }
    analysis = analyse_round(world.survey_round, minimum=5)
    results = {r.question.text_en: r for s in analysis.sections for r in s.questions}

    index = rows["Satisfied?", "index", None]
    expected = results["Satisfied?"].index
    assert (index["value"], index["low"], index["high"], index["n"]) == (
        round(expected.value, 1),
        round(expected.low, 1),
        round(expected.high, 1),
        12,
    )
    assert rows["Got an answer?", "share_yes", None]["value"] == 50.0
    # A background question's small groups are hidden, and the next-smallest with them.
    ages = {option: rows["Age", "option_share", option] for option in (1, 2, 3)}
    assert [ages[option]["suppressed"] for option in (1, 2, 3)] == [True, False, True]
    assert ages[2]["value"] == 50.0
    assert ages[1]["value"] is None


def test_survey_figures_of_too_few_answers_are_suppressed_with_n_kept(client, world, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 13
    rows = rows_of(client, "enkatresultat")

    assert rows
    for row in rows:
        assert (row["value"], row["low"], row["high"], row["suppressed"]) == (
            None,
            None,
            None,
            True,
        )
        assert row["n"] == 12


def test_a_file_kept_in_the_cache_follows_new_counts_and_renamed_units(client, world, handler):
    first = rows_of(client, "synpunktsstatistik")
    unit_update(unit=world.tree.gata, by=None, name_sv="Gator och parker")
    answered_after(world.tree.gata, handler, date(2026, 5, 4), 2, "praise")
    feedback_statistics_refresh({world.tree.gata.pk: date(2026, 5, 4)}, today=TODAY)

    rows = rows_of(client, "synpunktsstatistik")

    names = {row["unit_name_sv"] for row in rows if row["unit_id"] == world.tree.gata.pk}
    assert names == {"Gator och parker"}

    def praise_in_may(found):
        return next(
            row["received"]
            for row in found
            if (row["unit_id"], row["kind"], row["period"])
            == (world.tree.gata.pk, "praise", "2026-05")
        )

    assert praise_in_may(rows) == praise_in_may(first) + 1


def test_the_documentation_describes_every_column_and_address():
    text = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text(encoding="utf-8")
    for dataset in DATASETS:
        assert f"/oppna-data/{dataset.slug}.csv" in text
        for column in dataset.columns:
            assert f"| `{column.name}` |" in text, (dataset.slug, column.name)

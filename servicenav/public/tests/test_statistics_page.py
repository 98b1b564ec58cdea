"""The public feedback statistics page: no login, the filters, figures that equal the open
data's, "too few cases" where the open data suppresses, and bad filters answered with a
clear message and a 400. Read in English (/en/) so that new texts can be compared."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser

import pytest

from servicenav.organisation.services import unit_update
from servicenav.public.feedback import feedback_statistics_refresh
from servicenav.public.tests.conftest import TODAY, answered_after

pytestmark = pytest.mark.django_db
PAGE = "/en/statistik/synpunkter/"


class Rows(HTMLParser):
    """The cells of every table row with an id, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.row: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and dict(attrs).get("id"):
            self.row = dict(attrs)["id"]
            self.rows[self.row] = []
        elif tag in ("td", "th") and self.row:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row and self.cell is not None:
            self.rows[self.row].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response) -> dict[str, list[str]]:
    parser = Rows()
    parser.feed(response.content.decode())
    return parser.rows


def shown(value, suppressed, percent=False, low=None, high=None) -> str:
    """How the page writes an open-data figure."""
    if value is None:
        return "too few cases" if suppressed else "–no cases"
    text = f"{value:.1f}" + (" %" if percent else "")
    return f"{text} ({low:.1f}–{high:.1f})" if low is not None else text


def expected_cells(row: dict, praise: bool) -> list[str]:
    cells = [
        str(row["received"]),
        str(row["answered"]),
        shown(row["median_working_days_to_answer"], row["answer_times_suppressed"]),
        shown(row["p90_working_days_to_answer"], row["answer_times_suppressed"]),
        str(row["deadline_cases"]),
        shown(
            row["share_answered_by_deadline"],
            row["deadline_share_suppressed"],
            percent=True,
            low=row["share_answered_by_deadline_low"],
            high=row["share_answered_by_deadline_high"],
        ),
    ]
    if praise:
        cells.append(
            shown(
                row["share_praise"],
                row["share_praise_suppressed"],
                percent=True,
                low=row["share_praise_low"],
                high=row["share_praise_high"],
            )
            if row["kind"] == "all"
            else ""
        )
    return cells


def open_data(client) -> dict[tuple[int, str, str], dict]:
    rows = json.loads(client.get("/oppna-data/synpunktsstatistik.json").content)["rows"]
    return {(row["unit_id"], row["kind"], row["period"]): row for row in rows}


def test_before_anything_is_counted_the_page_says_so(client, tree):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert b"There are no statistics yet." in response.content
    assert b"What the figures mean" in response.content


def test_by_default_the_municipality_this_year_by_kind_unit_and_month(client, world):
    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Kommun (en), 2026</h2>" in html
    assert "The figures cover 1 February 2026 to 31 May 2026" in html
    rows = table_rows(response)
    assert [row[0] for key, row in rows.items() if key.startswith("by-kind-")] == [
        "All kinds",
        "Complaint",
        "Suggestion",
        "Praise",
        "Question",
    ]
    units = [row[0] for key, row in rows.items() if key.startswith("by-unit-")]
    assert units == ["Kommun (en) (total)", "Social (en)", "Teknik (en)"]
    months = [row[0] for key, row in rows.items() if key.startswith("by-month-")]
    assert months == ["February 2026", "March 2026", "April 2026", "May 2026"]


@pytest.mark.parametrize(
    ("unit", "kind", "period"),
    [
        ("kommun", "all", "2026"),
        ("teknik", "complaint", "2026-Q2"),
        ("teknik", "all", "2026-Q1"),
        ("gata", "praise", "2026-04"),
    ],
)
def test_the_figures_on_the_page_are_the_open_data_figures(client, world, unit, kind, period):
    unit = getattr(world.tree, unit)
    data = open_data(client)
    response = client.get(PAGE, {"unit": unit.pk, "kind": kind, "period": period})

    rows = table_rows(response)
    praise = kind == "all"
    compared = 0
    for key, cells in rows.items():
        table, _dash, rest = key.partition("-")[2].partition("-")
        if table == "kind":
            row = data[unit.pk, rest, period]
        elif table == "unit":
            row = data[int(rest), kind, period]
        else:
            row = data[unit.pk, kind, rest]
        assert cells[1:] == expected_cells(row, praise), key
        compared += 1
    assert compared


def test_filters_choose_the_unit_the_kind_and_the_period(client, world):
    response = client.get(PAGE, {"unit": world.tree.gata.pk, "kind": "praise", "period": "2026-04"})

    assert response.status_code == 200
    rows = table_rows(response)
    assert list(rows) == ["by-kind-praise"]  # no units below Gata, no months in a month
    assert "Gata (en), April 2026" in response.content.decode()
    assert 'value="2026-04" selected' in response.content.decode()


def test_figures_on_too_few_cases_are_shown_as_too_few_on_the_page_and_in_open_data(
    client, world, settings
):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 1000
    response = client.get(PAGE, {"unit": world.tree.teknik.pk})

    rows = table_rows(response)
    total = rows[f"by-unit-{world.tree.teknik.pk}"]
    assert int(total[1]) > 0  # the count is shown
    assert total[3:5] == ["too few cases", "too few cases"]
    assert total[6] == "too few cases"
    assert "A figure built on fewer than 1000 cases is not shown" in response.content.decode()
    data = open_data(client)
    assert all(row["answer_times_suppressed"] for row in data.values() if row["answered"])
    assert all(row["median_working_days_to_answer"] is None for row in data.values())


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "abc"},
        {"unit": "999999999"},
        {"unit": "99999999999999999999999999"},
        {"unit": "-1"},
        {"kind": "complaints"},
        {"kind": ""},
        {"period": "2026-13"},
        {"period": "1999"},
        {"period": "2026-T1"},
        {"period": "x" * 5000},
        {"period": "'; DROP TABLE public_feedbackmonth; --"},
        {"unit": "1\x00"},
    ],
)
def test_bad_filters_get_a_clear_message_and_a_400(client, world, query):
    response = client.get(PAGE, query)

    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not show these statistics. Choose again below." in html
    assert "Select a valid choice" in html or "This field is required" in html
    assert not table_rows(response)


def test_a_closed_down_unit_cannot_be_chosen(client, world):
    unit_update(unit=world.tree.vatten, by=None, active=False)

    response = client.get(PAGE, {"unit": world.tree.vatten.pk})

    assert response.status_code == 400
    assert "Vatten (en)" not in response.content.decode()


def test_other_parameters_are_ignored(client, world):
    assert client.get(PAGE, {"utm_source": "nyhetsbrev", "page": "2"}).status_code == 200


def test_the_swedish_page_has_the_same_figures(client, world):
    swedish = client.get("/statistik/synpunkter/", {"period": "2026-Q2"})
    english = client.get(PAGE, {"period": "2026-Q2"})

    assert swedish.status_code == 200
    assert '<html lang="sv">' in swedish.content.decode()
    counts = {key: row[1:3] for key, row in table_rows(english).items()}
    assert {key: row[1:3] for key, row in table_rows(swedish).items()} == counts


def test_the_page_is_only_read_and_needs_no_login(client, world):
    assert client.post(PAGE).status_code == 405
    assert client.get(PAGE).status_code == 200


def test_the_page_reads_few_queries_however_many_units(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(PAGE)


def test_the_page_follows_new_counts_at_once(client, world, handler):
    query = {"unit": world.tree.gata.pk, "kind": "praise", "period": "2026-05"}
    before = int(table_rows(client.get(PAGE, query))["by-kind-praise"][1])
    answered_after(world.tree.gata, handler, date(2026, 5, 4), 2, "praise")
    feedback_statistics_refresh({world.tree.gata.pk: date(2026, 5, 4)}, today=TODAY)

    after = int(table_rows(client.get(PAGE, query))["by-kind-praise"][1])

    assert after == before + 1

"""A round's answers as a matrix: read with one query, one row per question position and
one column per respondent, `MISSING` where unanswered, plus the per-respondent values the
analysis derives from them (each computed once). See `analysis` for what is done with it."""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from django.db import connection

from servicenav.surveys import statistics as st
from servicenav.surveys.models import (
    Question,
    Response,
    Round,
    RoundQuestion,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


IntMatrix = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MISSING = -1
"""An unanswered question in the answer matrix (answers themselves are never negative)."""
YES, NO = 1, 2


# The responses of a round as one string, "[5, null, 3],[4, 2, null],…", in one query:
# the database joins the JSON texts in C, and numpy reads the numbers in one call. This is
# several times faster than decoding 100,000 JSON values one by one.
JOINED_ANSWERS_SQL = {
    "postgresql": "SELECT {round}, COUNT(*), STRING_AGG({answers}::text, ',') FROM {table} "
    "WHERE {round} IN ({ids}) GROUP BY {round}",
    "sqlite": "SELECT {round}, COUNT(*), GROUP_CONCAT({answers}, ',') FROM {table} "
    "WHERE {round} IN ({ids}) GROUP BY {round}",
}


def joined_answers(rounds: Sequence[Round]) -> dict[int, tuple[int, str]]:
    """Per round id: (number of responses, their answers' JSON texts joined by commas); one
    query for all `rounds`. A round without responses is (0, "")."""
    found = {round.pk: (0, "") for round in rounds}
    if not found:
        return found
    sql = JOINED_ANSWERS_SQL.get(connection.vendor)
    if sql is None:  # Another database: the ORM, and JSON encoded again here.
        texts: dict[int, list[str]] = {}
        rows = Response.objects.filter(round__in=rounds).values_list("round_id", "answers")
        for round_id, answers in rows:
            texts.setdefault(round_id, []).append(json.dumps(answers))
        return found | {pk: (len(t), ",".join(t)) for pk, t in texts.items()}
    quote = connection.ops.quote_name
    query = sql.format(
        table=quote(Response._meta.db_table),
        answers=quote(Response._meta.get_field("answers").column),
        round=quote(Response._meta.get_field("round").column),
        ids=", ".join(["%s"] * len(found)),
    )
    with connection.cursor() as cursor:
        cursor.execute(query, list(found))
        for round_id, count, text in cursor.fetchall():
            found[round_id] = (int(count), text or "")
    return found


def _places(rounds: Sequence[Round]) -> dict[int, list[RoundQuestion]]:
    """Per round id, its questions in order; one query for all `rounds`."""
    found: dict[int, list[RoundQuestion]] = {round.pk: [] for round in rounds}
    places = (
        RoundQuestion.objects.filter(round__in=rounds)
        .select_related("question__area")
        .order_by("round_id", "position")
    )
    for place in places:
        found[place.round_id].append(place)
    return found


def answer_matrix(text: str, rows: int, width: int) -> IntMatrix:
    """The joined answers as an int matrix of `rows` × `width`, `MISSING` for None and for
    anything that is not an answer (a row too short is padded, one too long cut)."""
    if rows == 0 or width == 0:
        return np.full((rows, width), MISSING, dtype=np.int64)
    matrix = _parse_fast(text, rows, width)
    return matrix if matrix is not None else _parse_slow(text, rows, width)


def _parse_fast(text: str, rows: int, width: int) -> IntMatrix | None:
    """Flat lists of ints and nulls, all `width` long: drop the brackets and let numpy read
    every number at once. None for anything else, which the slow path then reads."""
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError:
        return None
    characters = np.frombuffer(data, dtype=np.uint8)
    starts = np.flatnonzero(characters == ord("["))
    if starts.size != rows:
        return None
    # Each row is followed by its width − 1 commas and the one that separates it from the
    # next (the last row gets a virtual one), so every row must own `width` commas.
    commas = np.flatnonzero(characters == ord(","))
    owned = np.diff(np.append(np.searchsorted(commas, starts), commas.size + 1))
    if np.any(owned != width):
        return None
    numbers = data.replace(b"null", b"-1").replace(b"[", b"").replace(b"]", b"")
    with warnings.catch_warnings():
        # numpy warns (and stops reading) instead of failing on text it cannot read.
        warnings.simplefilter("error", DeprecationWarning)
        try:
            values = np.fromstring(numbers, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if values.size != rows * width or values.min() < MISSING:
        return None
    return values.reshape(rows, width)


def _parse_slow(text: str, rows: int, width: int) -> IntMatrix:
    matrix = np.full((rows, width), MISSING, dtype=np.int64)
    for i, answers in enumerate(json.loads(f"[{text}]")[:rows]):
        for j, value in enumerate(answers[:width] if isinstance(answers, list) else []):
            if type(value) is int and value >= 0:
                matrix[i, j] = value
    return matrix


class RoundData:
    """One round's answers, a column per question, and the per-respondent values the
    report derives from them (each computed once)."""

    def __init__(
        self,
        round: Round,
        *,
        places: list[RoundQuestion] | None = None,
        answers: tuple[int, str] | None = None,
    ) -> None:
        """`places` and `answers` as `of_rounds` reads them; read here when not given."""
        self.round = round
        self.places = _places([round])[round.pk] if places is None else places
        self.column_of = {place.question_id: place.position for place in self.places}
        width = max((place.position for place in self.places), default=-1) + 1
        rows, text = joined_answers([round])[round.pk] if answers is None else answers
        # One row per question, so that reading a question's answers reads adjacent memory.
        self.columns = np.ascontiguousarray(answer_matrix(text, rows, width).T)
        self.respondents = rows
        self._values: dict[int, FloatArray] = {}
        self._scores: dict[int, FloatArray] = {}
        self._composites: dict[tuple[int, ...], FloatArray] = {}

    @classmethod
    def of_rounds(cls, rounds: Sequence[Round]) -> list[RoundData]:
        """The data of each of `rounds`, read with two queries however many they are."""
        places = _places(rounds)
        answers = joined_answers(rounds)
        return [cls(r, places=places[r.pk], answers=answers[r.pk]) for r in rounds]

    def asked(self, question: Question) -> bool:
        return question.pk in self.column_of

    def column(self, question: Question) -> IntMatrix:
        return self.columns[self.column_of[question.pk]]

    def scale_values(self, question: Question) -> FloatArray:
        """Answers on the scale as floats, NaN for unanswered and "don't know"."""
        if question.pk not in self._values:
            column = self.column(question)
            valid = (column >= 1) & (column <= (question.scale_max or 0))
            self._values[question.pk] = np.where(valid, column, np.nan)
        return self._values[question.pk]

    def scores(self, question: Question) -> FloatArray:
        """Each respondent's index score (0–100) on a scale question, NaN without one."""
        if question.pk not in self._scores:
            values = self.scale_values(question)
            self._scores[question.pk] = st.index_scores(values, 1, question.scale_max or 0)
        return self._scores[question.pk]

    def yes_values(self, question: Question) -> FloatArray:
        """1 for yes, 0 for no, NaN otherwise."""
        column = self.column(question)
        return np.where(column == YES, 1.0, np.where(column == NO, 0.0, np.nan))

    def composite(self, questions: Sequence[Question]) -> FloatArray:
        """Per respondent, the mean of their index scores on `questions` (equal weights),
        NaN for respondents who answered none of them."""
        key = tuple(question.pk for question in questions)
        if key not in self._composites:
            total = np.zeros(self.respondents)
            count = np.zeros(self.respondents)
            for question in questions:
                scores = self.scores(question)
                present = ~np.isnan(scores)
                total += np.where(present, scores, 0.0)
                count += present
            self._composites[key] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        return self._composites[key]

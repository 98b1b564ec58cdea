"""Rounds keep their questions comparable; codes are single-use and leave no trace."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from servicenav.surveys.models import DONT_KNOW, Invitation, Question, Response, Survey
from servicenav.surveys.services import (
    hash_code,
    invitation_valid,
    invitations_create,
    response_submit,
    round_create,
    round_question_replace,
)

SPRING = {"opens_on": date(2026, 3, 1), "closes_on": date(2026, 3, 31)}
IN_SPRING = date(2026, 3, 10)


@pytest.fixture
def survey(tree):
    survey = Survey.objects.create(
        unit=tree.gata, title_sv="Gatuenkät", target_group_sv="Boende i centrum"
    )
    Question.objects.create(
        survey=survey,
        kind="scale",
        text_sv="Hur nöjd är du?",
        scale_max=5,
        order=1,
        allows_dont_know=True,
    )
    Question.objects.create(survey=survey, kind="text", text_sv="Något mer?", order=2)
    return survey


def test_a_new_round_copies_the_previous_rounds_questions(survey):
    first = round_create(survey=survey, name="2025", by=None, **SPRING)
    satisfaction, more = (rq.question for rq in first.round_questions.all())
    response_submit(round=first, answers={satisfaction.pk: 4}, channel="paper")
    second = round_create(survey=survey, name="2026", by=None, **SPRING)
    replacement = round_question_replace(
        round=second, question=satisfaction, by=None, text_sv="Hur nöjd är du med gatorna?"
    )
    # A question added to the survey since is asked from the next round on.
    added = Question.objects.create(survey=survey, kind="yes_no", text_sv="Bor du här?", order=3)
    third = round_create(survey=survey, name="2027", by=None, **SPRING)
    assert [rq.question for rq in third.round_questions.all()] == [replacement, more, added]
    satisfaction.refresh_from_db()
    assert satisfaction.text_sv == "Hur nöjd är du?"  # as the 2025 round asked it


def test_a_wording_replaced_before_any_round_asked_it_is_gone(survey):
    first = round_create(survey=survey, name="2025", by=None, **SPRING)
    satisfaction = first.round_questions.get(position=0).question
    round_question_replace(round=first, question=satisfaction, by=None, text_sv="Ny lydelse")
    assert not Question.objects.filter(pk=satisfaction.pk).exists()
    second = round_create(survey=survey, name="2026", by=None, **SPRING)
    assert [rq.question.text_sv for rq in second.round_questions.all()] == [
        "Ny lydelse",
        "Något mer?",
    ]


def test_a_round_with_answers_keeps_its_questions(survey):
    spring = round_create(survey=survey, name="2026", by=None, **SPRING)
    question = spring.round_questions.get(position=0).question
    response_submit(round=spring, answers={question.pk: 4}, today=IN_SPRING)
    with pytest.raises(ValidationError):
        round_question_replace(round=spring, question=question, by=None, text_sv="Nytt")


def test_answers_are_stored_in_the_rounds_order_and_free_text_apart(survey):
    spring = round_create(survey=survey, name="2026", by=None, **SPRING)
    scale, text = (rq.question for rq in spring.round_questions.all())
    response = response_submit(
        round=spring, answers={scale.pk: DONT_KNOW, text.pk: "Fler bänkar."}, today=IN_SPRING
    )
    assert response.answers == [DONT_KNOW, None]
    assert [t.text for t in response.texts.all()] == ["Fler bänkar."]


def test_web_answers_are_taken_only_while_the_round_is_open(survey):
    spring = round_create(survey=survey, name="2026", by=None, **SPRING)
    with pytest.raises(ValidationError):
        response_submit(round=spring, answers={}, today=date(2026, 4, 1))
    response_submit(round=spring, answers={}, channel="paper", today=date(2026, 4, 1))
    assert Response.objects.filter(channel="paper").count() == 1


def test_a_code_is_used_once_and_leaves_no_trace(survey):
    spring = round_create(survey=survey, name="2026", by=None, **SPRING)
    codes = invitations_create(round=spring, count=3, by=None)
    spring.refresh_from_db()
    assert spring.invitations_sent == 3
    assert not Invitation.objects.filter(code_hash__in=codes).exists()  # only hashes stored
    code = codes[0]
    assert invitation_valid(spring, code.lower().replace("-", ""))
    response_submit(round=spring, answers={}, code=code, today=IN_SPRING)
    with pytest.raises(ValidationError):
        response_submit(round=spring, answers={}, code=code, today=IN_SPRING)
    with pytest.raises(ValidationError):
        response_submit(round=spring, answers={}, code="AAAAA-AAAAA", today=IN_SPRING)
    assert Response.objects.count() == 1
    assert not Invitation.objects.filter(code_hash=hash_code(code)).exists()  # used: gone
    assert Invitation.objects.count() == 2
    assert spring.response_rate == pytest.approx(100 / 3)


def test_between_one_and_fifty_thousand_codes_are_made_at_a_time(survey):
    spring = round_create(survey=survey, name="2026", by=None, **SPRING)
    for count in (0, 50_001):
        with pytest.raises(ValidationError):
            invitations_create(round=spring, count=count, by=None)
    assert not Invitation.objects.exists()


def test_a_round_closes_on_or_after_it_opens(survey):
    with pytest.raises(ValidationError):
        round_create(
            survey=survey,
            name="Bakvänd",
            by=None,
            opens_on=date(2026, 3, 2),
            closes_on=date(2026, 3, 1),
        )

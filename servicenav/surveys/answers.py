"""One way to read an answer, whether a respondent typed it on the web or staff entered a
paper form: raw form values in, the stored value out (see `Response.answers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicenav.surveys.models import DONT_KNOW, Question

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_TEXT = 4000
DONT_KNOW_VALUE = "dont_know"  # what the form sends for "vet ej"


def _whole_number(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit():
        raise ValidationError(_("Choose one of the answers."))
    return int(raw)


def _one_of(raw: str, count: int) -> int:
    value = _whole_number(raw)
    if not 1 <= value <= count:
        raise ValidationError(_("Choose one of the answers."))
    return value


def _text(text: str) -> str:
    if "\x00" in text:
        raise ValidationError(_("Null characters are not allowed."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Write at most %(count)d characters.") % {"count": MAX_TEXT})
    return text


def clean_answer(question: Question, raw: Sequence[str]) -> int | str | None:
    """The stored answer to `question` from the values the form sent: an int for choices
    and scales, text for free text, None when it was left unanswered."""
    given = [value.strip() for value in raw if value.strip()]
    if not given:
        if question.required:
            raise ValidationError(_("Answer this question."))
        return None
    kind = question.kind
    if kind == Question.Kind.TEXT:
        return _text(given[0])
    if kind == Question.Kind.MULTIPLE:
        chosen = {_one_of(value, len(question.options)) for value in given}
        return sum(1 << (option - 1) for option in chosen)
    if len(given) > 1:
        raise ValidationError(_("Choose only one answer."))
    if kind == Question.Kind.SCALE:
        if given[0] == DONT_KNOW_VALUE and question.allows_dont_know:
            return DONT_KNOW
        return _one_of(given[0], question.scale_max or 0)
    if kind == Question.Kind.YES_NO:
        return _one_of(given[0], 2)  # 1 = yes, 2 = no
    return _one_of(given[0], len(question.options))

"""The answer form, built from a round's questions: the same form for a respondent on the
web and for staff entering a paper form."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicenav.surveys.answers import DONT_KNOW_VALUE, MAX_TEXT, clean_answer
from servicenav.surveys.models import Question

if TYPE_CHECKING:
    from collections.abc import Iterable


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _choices(question: Question) -> list[tuple[str, str]]:
    if question.kind == Question.Kind.SCALE:
        top = question.scale_max or 0
        choices = [(str(value), str(value)) for value in range(1, top + 1)]
        if question.allows_dont_know:
            choices.append((DONT_KNOW_VALUE, str(_("Don't know"))))
        return choices
    if question.kind == Question.Kind.YES_NO:
        return [("1", str(_("Yes"))), ("2", str(_("No")))]
    return [(str(number), label) for number, label in enumerate(question.option_labels, 1)]


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {"label": question.text, "required": False}
    if question.kind == Question.Kind.TEXT:
        return forms.CharField(widget=forms.Textarea({"rows": 4, "maxlength": MAX_TEXT}), **common)
    # The choices are made when the form is shown: a sent form does not need them.
    choices = functools.partial(_choices, question)
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


class ResponseForm(forms.Form):
    """One field per question (`q<id>`), in the round's order. Nothing is checked by the
    browser: every rule is `answers.clean_answer`'s, so messages come in the page's
    language and the form works without JavaScript."""

    def __init__(self, questions: Iterable[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[field_name(question)] = _field(question)

    def _clean_fields(self) -> None:
        """Each answer is checked by `clean_answer` alone: the fields' own checks ("Select
        a valid choice…") would only repeat what it says, and one message per question is
        enough."""
        self.cleaned_answers: dict[int, int | str | None] = {}
        for question in self.questions:
            name = field_name(question)
            raw = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)
            values = raw if isinstance(raw, list) else [raw or ""]
            try:
                self.cleaned_answers[question.pk] = clean_answer(question, values)
            except ValidationError as error:
                self.add_error(name, error)

    def answers(self) -> dict[int, int | str | None]:
        """The answers by question id, as `services.response_submit` takes them."""
        return self.cleaned_answers

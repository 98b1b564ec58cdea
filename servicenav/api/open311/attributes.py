"""A service's questions (GeoReport v2 attributes): how each datatype is described, and
how the answers in a POST (`attribute[CODE]=v`, `attribute[CODE][]=v1&…`) are checked.

Parameters that look like attributes but name no question of the service, or do not have
the shape `attribute[CODE]` / `attribute[CODE][]`, are ignored: clients such as
FixMyStreet send extra attributes of their own."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicenav.api.open311.dates import parse_w3c, w3c
from servicenav.cases.models import CategoryAttribute
from servicenav.core.language import in_current_language

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from django_stubs_ext import StrPromise

Datatype = CategoryAttribute.Datatype
PARAMETER = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
MAX_STRING = 500
MAX_TEXT = 4000
MAX_NUMBER = 30
UNANSWERED = _("This question must be answered.")
DESCRIPTIONS: dict[str, StrPromise] = {
    Datatype.STRING: _("Short text, at most 500 characters."),
    Datatype.TEXT: _("Text, at most 4,000 characters; line breaks are allowed."),
    Datatype.NUMBER: _("A number, with a point before any decimals, for example 12.5."),
    Datatype.DATETIME: _("A W3C date and time, for example 2026-11-27T14:30:00+01:00."),
    Datatype.SINGLEVALUELIST: _("One of the keys in values."),
    Datatype.MULTIVALUELIST: _(
        "One or more of the keys in values, each sent as attribute[CODE][]=KEY."
    ),
}


def choices(attribute: CategoryAttribute) -> list[tuple[str, str]]:
    """The (key, name) pairs of a list question, names in the current language."""
    items = attribute.values if isinstance(attribute.values, list) else []
    return [
        (str(item["key"]), _name(item))
        for item in items
        if isinstance(item, dict) and "key" in item
    ]


def _name(item: dict[str, Any]) -> str:
    return in_current_language(str(item.get("name_sv", "")), str(item.get("name_en", "")))


def submitted(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The values sent for each attribute code; `data` is a QueryDict."""
    values: dict[str, list[str]] = {}
    for name in data:
        match = PARAMETER.fullmatch(name)
        if match:
            values.setdefault(match[1], []).extend(data.getlist(name))  # type: ignore[attr-defined]
    return values


def clean_answers(
    attributes: Iterable[CategoryAttribute], values: dict[str, list[str]]
) -> tuple[dict[str, Any], list[str]]:
    """The answers to store, by code, and what is wrong with the others."""
    answers: dict[str, Any] = {}
    errors: list[str] = []
    for attribute in attributes:
        given = [value.strip() for value in values.get(attribute.code, []) if value.strip()]
        name = f"attribute[{attribute.code}]"
        if not given:
            if attribute.required:
                errors.append(f"{name}: {UNANSWERED}")
            continue
        try:
            answers[attribute.code] = _clean(attribute, given)
        except ValidationError as error:
            errors.extend(f"{name}: {message}" for message in error.messages)
    return answers, errors


def _clean(attribute: CategoryAttribute, given: list[str]) -> Any:
    if any("\x00" in value for value in given):
        raise ValidationError(_("Null characters are not allowed."))
    if attribute.datatype == Datatype.MULTIVALUELIST:
        return _keys(attribute, given)
    if len(given) > 1:
        raise ValidationError(_("Give one value only."))
    cleaner = CLEANERS.get(attribute.datatype)
    if cleaner is None:
        raise ValidationError(_("This question cannot be answered through Open311."))
    return cleaner(attribute, given[0])


def _string(attribute: CategoryAttribute, value: str) -> str:
    if len(value) > MAX_STRING:
        raise ValidationError(_("At most 500 characters."))
    return value


def _text(attribute: CategoryAttribute, value: str) -> str:
    value = value.replace("\r\n", "\n")
    if len(value) > MAX_TEXT:
        raise ValidationError(_("At most 4,000 characters."))
    return value


def _number(attribute: CategoryAttribute, value: str) -> str:
    if len(value) > MAX_NUMBER or not NUMBER.fullmatch(value):
        raise ValidationError(DESCRIPTIONS[Datatype.NUMBER])
    return value


def _datetime(attribute: CategoryAttribute, value: str) -> str:
    return w3c(parse_w3c(value))


def _key(attribute: CategoryAttribute, value: str) -> str:
    if value not in dict(choices(attribute)):
        raise ValidationError(_("Not one of the keys in the service definition."))
    return value


def _keys(attribute: CategoryAttribute, given: list[str]) -> list[str]:
    keys = dict(choices(attribute))
    if any(value not in keys for value in given):
        raise ValidationError(_("Not one of the keys in the service definition."))
    return list(dict.fromkeys(given))


CLEANERS: dict[str, Callable[[CategoryAttribute, str], str]] = {
    Datatype.STRING: _string,
    Datatype.TEXT: _text,
    Datatype.NUMBER: _number,
    Datatype.DATETIME: _datetime,
    Datatype.SINGLEVALUELIST: _key,
}


def answers_as_text(attributes: Iterable[CategoryAttribute], answers: dict[str, Any]) -> str:
    """The answers as lines of "question: answer", list keys shown by their names."""
    lines = []
    for attribute in attributes:
        if attribute.code not in answers:
            continue
        answer = answers[attribute.code]
        names = dict(choices(attribute))
        keys = [str(key) for key in (answer if isinstance(answer, list) else [answer])]
        shown = ", ".join(names.get(key, key) for key in keys)
        lines.append(f"{attribute.question}: {shown}")
    return "\n".join(lines)

"""Members and the chair: the first member is the chair, there is always exactly one while
there are members, and the database refuses a second. The directive is versioned: a new
text is a new version and the earlier ones are kept as they were."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from servicenav.core.models import AuditEntry
from servicenav.network.models import DirectiveVersion, Member
from servicenav.network.services import (
    directive_adopt,
    member_add,
    member_make_chair,
    member_remove,
)
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def chairs() -> list[int]:
    return list(Member.objects.filter(is_chair=True).values_list("user_id", flat=True))


def test_the_first_member_becomes_the_chair_and_later_ones_do_not():
    first, second = make_user(), make_user()
    member_add(user=first, by=None)
    member_add(user=second, by=None)
    assert chairs() == [first.pk]


def test_making_another_member_chair_moves_the_chair_so_there_is_one():
    first, second = make_user(), make_user()
    member_add(user=first, by=None)
    new = member_add(user=second, by=None)
    member_make_chair(member=new, by=first)
    assert chairs() == [second.pk]
    assert Member.objects.count() == 2


def test_adding_a_member_as_chair_replaces_the_chair():
    first, second = make_user(), make_user()
    member_add(user=first, by=None)
    member_add(user=second, chair=True, by=None)
    assert chairs() == [second.pk]


def test_the_database_refuses_a_second_chair():
    first, second = make_user(), make_user()
    member_add(user=first, by=None)
    other = member_add(user=second, by=None)
    other.is_chair = True
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save(update_fields=["is_chair"])


def test_the_chair_leaves_only_after_handing_over_or_as_the_last_member():
    first, second = make_user(), make_user()
    chair = member_add(user=first, by=None)
    other = member_add(user=second, by=None)
    with pytest.raises(ValidationError):
        member_remove(member=chair, by=None)
    member_remove(member=other, by=None)
    member_remove(member=chair, by=None)
    assert not Member.objects.exists()


def test_a_person_is_a_member_once():
    user = make_user()
    member_add(user=user, by=None)
    with pytest.raises(ValidationError):
        member_add(user=user, by=None)


def test_a_new_directive_is_a_new_version_and_the_old_one_is_kept():
    author = make_user()
    first = directive_adopt(
        text="Uppdrag 1", adopted_on=date(2025, 1, 10), adopted_by="Ledningsgruppen", by=author
    )
    second = directive_adopt(
        text="Uppdrag 2", adopted_on=date(2026, 2, 1), adopted_by="Ledningsgruppen", by=author
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.text == "Uppdrag 1"
    assert list(DirectiveVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(object_id=str(second.pk), actor=author).exists()


@pytest.mark.parametrize(("text", "adopted_by"), [("  ", "Ledningsgruppen"), ("Text", " ")])
def test_a_directive_needs_a_text_and_who_adopted_it(text, adopted_by):
    with pytest.raises(ValidationError):
        directive_adopt(text=text, adopted_on=date(2026, 1, 1), adopted_by=adopted_by, by=None)
    assert not DirectiveVersion.objects.exists()

"""The demo network: members with the demo quality coordinator as chair, a directive in
two versions, three meetings with decisions and action items, a draft report whose PDF
renders; loading again adds nothing."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest

from servicenav.network.demo import load_demo_network
from servicenav.network.models import (
    ActionItem,
    Decision,
    DirectiveVersion,
    Meeting,
    Member,
    Report,
)
from servicenav.network.report import report_pdf
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)


@pytest.fixture
def demo_staff(tree):
    return [make_user(username=name) for name in ("kvalitet", "chef", "ledning", "handlaggare")]


def test_the_demo_network_is_told_through_the_services(demo_staff):
    out = StringIO()
    assert load_demo_network(out, TODAY) == 3
    assert Member.objects.get(is_chair=True).user.username == "kvalitet"
    assert Member.objects.count() == 4
    assert list(DirectiveVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert Meeting.objects.count() == 3
    assert Decision.objects.count() == 4
    assert ActionItem.objects.filter(status="done").count() == 1
    report = Report.objects.get()
    assert (report.period, report.status) == ("2026-T1", "draft")
    assert report_pdf(report, language="sv").startswith(b"%PDF")
    assert load_demo_network(StringIO(), TODAY) == 0
    assert Meeting.objects.count() == 3


def test_without_the_demo_staff_nothing_is_added(tree):
    assert load_demo_network(StringIO(), TODAY) == 0
    assert not Member.objects.exists()

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from servicenav.improvement.demo import load_demo_improvement
from servicenav.improvement.models import Action, GoodExample
from servicenav.improvement.selectors import published_actions


def test_the_demo_has_actions_in_every_state_two_published_and_loads_once(db):
    call_command("load_demo", "--without-cases", stdout=io.StringIO())
    out = io.StringIO()
    assert Action.objects.count() == 5
    assert set(Action.objects.values_list("status", flat=True)) == {
        "proposed",
        "decided",
        "in_progress",
        "done",
    }
    assert len(published_actions()) == 2
    assert GoodExample.objects.count() >= 3
    assert load_demo_improvement(stdout=out, today=timezone.localdate()) == 0

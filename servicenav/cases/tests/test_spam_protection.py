"""Spam and abuse on the public form, without a CAPTCHA: a honeypot field that people do
not see, and a limit on how many cases one address may send per hour."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from servicenav.cases.models import Case

pytestmark = pytest.mark.django_db

SUBMIT = reverse("cases:submit")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def feedback(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "complaint",
        "unit": "",
        "text": "Papperskorgen vid lekplatsen är full.",
        "contact": "anonymous",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    return data | changes


def test_the_honeypot_is_labelled_leave_empty_and_kept_out_of_the_way(client, tree):
    content = client.get("/en" + SUBMIT).content.decode()
    honeypot = content[content.index('<div class="honeypot">') :]
    honeypot = honeypot[: honeypot.index("</div>")]
    assert '<label for="id_website">Leave empty</label>' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot


def test_a_filled_honeypot_makes_no_case_and_gets_a_generic_error(client, tree):
    response = client.post("/en" + SUBMIT, feedback(website="https://spam.example"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Your feedback could not be sent." in content
    assert not Case.objects.exists()


def test_an_address_over_the_hourly_limit_gets_a_clear_message_and_nothing_is_stored(
    client, tree, settings
):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 2
    for _number in range(2):
        assert client.post(SUBMIT, feedback()).status_code == 302
    response = client.post("/en" + SUBMIT, feedback())
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Case.objects.count() == 2


def test_another_address_is_not_held_back_by_the_first_ones_limit(client, tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    client.post(SUBMIT, feedback())
    neighbour = Client(REMOTE_ADDR="198.51.100.7")
    assert neighbour.post(SUBMIT, feedback()).status_code == 302
    assert Case.objects.count() == 2


def test_addresses_in_one_ipv6_network_share_a_limit(tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    Client(REMOTE_ADDR="2001:db8:1:2::10").post(SUBMIT, feedback())
    same_home = Client(REMOTE_ADDR="2001:db8:1:2::99")
    assert same_home.post(SUBMIT, feedback()).status_code == 429


def test_a_filled_honeypot_counts_towards_the_limit(client, tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 2
    client.post(SUBMIT, feedback(website="x"))
    client.post(SUBMIT, feedback(website="x"))
    assert client.post(SUBMIT, feedback()).status_code == 429
    assert not Case.objects.exists()


def test_mistakes_on_the_form_do_not_count_towards_the_limit(client, tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    for _attempt in range(3):
        assert client.post(SUBMIT, feedback(text="")).status_code == 200
    assert client.post(SUBMIT, feedback()).status_code == 302
    assert Case.objects.count() == 1


def test_a_repeated_submit_does_not_count_twice(client, tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 2
    data = feedback()
    client.post(SUBMIT, data)
    client.post(SUBMIT, data)
    assert client.post(SUBMIT, feedback()).status_code == 302
    assert Case.objects.count() == 2


def test_the_limit_starts_over_in_the_next_hour(client, tree, settings, monkeypatch):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    client.post(SUBMIT, feedback())
    assert client.post(SUBMIT, feedback()).status_code == 429

    later = timezone.now() + timedelta(hours=1)

    class NextHour:
        @staticmethod
        def now():
            return later

    monkeypatch.setattr("servicenav.cases.throttle.timezone", NextHour)
    assert client.post(SUBMIT, feedback()).status_code == 302
    assert Case.objects.count() == 2


def test_the_limit_does_not_keep_anyone_from_reading_the_form(client, tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    client.post(SUBMIT, feedback())
    assert client.get(SUBMIT).status_code == 200


def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_passes_on(tree, settings):
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.8")
    assert first.post(SUBMIT, feedback()).status_code == 302
    assert first.post(SUBMIT, feedback()).status_code == 429
    assert second.post(SUBMIT, feedback()).status_code == 302


def test_the_limit_holds_across_app_servers_sharing_redis(tree, settings):
    # Two Django caches on one Redis stand for two app servers; Redis runs on 127.0.0.1.
    redis_url = os.environ.get("SERVICENAV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    settings.SERVICENAV_SUBMISSIONS_PER_HOUR = 1
    caches["default"].clear()
    assert Client().post(SUBMIT, feedback()).status_code == 302
    caches.close_all()
    assert Client().post(SUBMIT, feedback()).status_code == 429
    caches["default"].clear()

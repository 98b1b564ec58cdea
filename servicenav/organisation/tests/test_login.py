"""Staff log in with Argon2-hashed passwords, get locked out after repeated failures,
and reset a forgotten password by e-mail."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse

from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_password("a long enough passphrase").startswith("argon2$")


def test_a_right_password_logs_in_and_opens_the_staff_pages(client):
    make_user(username="hedda", password="rätt lösenord 123")
    response = login(client, "hedda", "rätt lösenord 123")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:staff-home")


def test_a_wrong_password_shows_a_message_in_swedish(client):
    make_user(username="hedda", password="rätt lösenord 123")
    response = login(client, "hedda", "fel")
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, settings):
    make_user(username="hedda", password="rätt lösenord 123")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "hedda", "fel")
    response = login(client, "hedda", "rätt lösenord 123")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_for_one_user_does_not_lock_another(client, settings):
    make_user(username="hedda", password="rätt lösenord 123")
    make_user(username="hugo", password="annat lösenord 456")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "hedda", "fel")
    assert login(client, "hugo", "annat lösenord 456").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client, smtp):
    make_user(username="hedda", email="hedda@example.org", password="gammalt lösenord 1")
    response = client.post(reverse("password_reset"), {"email": "hedda@example.org"})
    assert response.status_code == 302
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(smtp.messages) == 1
    link = re.search(
        r"https?://[^/\s]+(/konto/losenord/aterstall/[^\s\"]+/)", smtp.messages[0]["data"]
    )
    assert link is not None, smtp.messages[0]["data"]
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "ett nytt långt lösenord"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    client.logout()
    assert login(client, "hedda", new_password).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, smtp):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert smtp.messages == []


def test_failed_logins_and_lockouts_leave_no_name_or_address_in_the_logs(client, settings, caplog):
    make_user(username="hedda-loggfri", password="rätt lösenord 123")
    with caplog.at_level(logging.DEBUG):
        for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
            login(client, "hedda-loggfri", "fel")
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "hedda-loggfri" not in logged
    assert "127.0.0.1" not in logged

"""Clients that send feedback as the public does: through the web form (a session, its
CSRF token, the POST, then the receipt page that shows the reference) and through Open311
(a POST with an integrator key, answered 201 with the reference).

A web client whose POST got no answer (the server was killed) sends the same form again,
with the same submission token, as a browser's reload would: the application makes that
one case. An Open311 client does not repeat a POST that got no answer (Open311 has no
submission token); such a request is not acknowledged, so the drill does not look for it."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    from collections.abc import Callable

FORM = "/synpunkter/ny/"
RECEIPT = "/synpunkter/kvitto/"
OPEN311 = "/open311/v2/requests.json"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"S-\d{4}-\d{5,}")
TIMEOUT = 60
RETRY_PAUSE = 0.3
TEXT = "The street lamp outside number 12 has been dark for a week."


@dataclass
class Tally:
    """What the clients sent and what they were told, shared by all of them."""

    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (reference, e-mail)
    answers: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, kind: str) -> None:
        with self.lock:
            self.answers[kind] += 1

    def acknowledge(self, reference: str, email: str) -> None:
        with self.lock:
            self.acknowledged.append((reference, email))


def classify(status: int | None) -> str:
    if status is None:
        return "no answer (server down)"
    if status == 429:
        return "refused by the rate limit"
    if status == 503:
        return "unavailable, try again (503)"
    if status >= 500:
        return "server error"
    return "ok" if status in {200, 201, 302} else f"refused ({status})"


@dataclass
class Plan:
    """How much to send: `quota` submissions in all, or until `stop` is set."""

    tag: str
    quota: int | None = None
    with_email: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    _taken: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> int | None:
        """The next submission's number, or None when the work is done."""
        with self._lock:
            if self.stop.is_set() or (self.quota is not None and self._taken >= self.quota):
                return None
            self._taken += 1
            return self._taken

    def email(self, number: int) -> str:
        return f"drill-{self.tag}-{number}@example.org" if self.with_email else ""


def _status(call: Callable[[], requests.Response]) -> tuple[int | None, requests.Response | None]:
    try:
        response = call()
    except requests.RequestException:
        return None, None
    return response.status_code, response


def web_client(base: str, plan: Plan, tally: Tally) -> None:
    session = requests.Session()
    token = ""
    while (number := plan.take()) is not None:
        email = plan.email(number)
        data = {
            "kind": "complaint",
            "unit": "",
            "text": f"{TEXT} ({plan.tag} {number})",
            "contact": "answer" if email else "anonymous",
            "email": email,
            "website": "",
            "submission_token": str(uuid.uuid4()),
        }
        token = token or _form_token(session, base, plan, tally)
        if not token:
            return
        while True:
            data["csrfmiddlewaretoken"] = token
            status, _response = _status(
                partial(
                    session.post, base + FORM, data=data, allow_redirects=False, timeout=TIMEOUT
                )
            )
            tally.answer(classify(status))
            if status == 302:
                _read_receipt(session, base, email, tally)
                break
            if status is not None and status < 500 and status != 429:
                break  # refused: counted, not repeated
            if plan.stop.is_set() and status is not None:
                break
            time.sleep(RETRY_PAUSE)  # no answer or a server error: send the same form again


def _form_token(session: requests.Session, base: str, plan: Plan, tally: Tally) -> str:
    """The CSRF token of a fresh form page (the page also starts the session); empty when
    the drill stopped before the server answered."""
    while True:
        status, response = _status(lambda: session.get(base + FORM, timeout=TIMEOUT))
        if status == 200 and response is not None:
            found = TOKEN.search(response.text)
            if found:
                return found.group(1)
        tally.answer(classify(status))
        if plan.stop.is_set():
            return ""
        time.sleep(RETRY_PAUSE)


def _read_receipt(session: requests.Session, base: str, email: str, tally: Tally) -> None:
    """The receipt page, which shows the reference: until it answers (the server may be
    down just after the case was made)."""
    for _attempt in range(200):
        status, response = _status(lambda: session.get(base + RECEIPT, timeout=TIMEOUT))
        if status == 200 and response is not None:
            found = REFERENCE.search(response.text)
            if found:
                tally.acknowledge(found.group(0), email)
                return
        time.sleep(RETRY_PAUSE)
    tally.answer("receipt never shown")


def open311_client(base: str, plan: Plan, tally: Tally, *, api_key: str, service_code: str) -> None:
    session = requests.Session()
    while (number := plan.take()) is not None:
        email = plan.email(number)
        data = {
            "api_key": api_key,
            "service_code": service_code,
            "description": f"{TEXT} ({plan.tag} {number})",
            "email": email,
        }
        status, response = _status(
            partial(session.post, base + OPEN311, data=data, timeout=TIMEOUT)
        )
        tally.answer(classify(status))
        if status == 201 and response is not None:
            tally.acknowledge(response.json()[0]["service_request_id"], email)
        elif status is None:
            time.sleep(RETRY_PAUSE)


def run_clients(
    base: str, plan: Plan, *, web: int, open311: int, api_key: str, service_code: str
) -> tuple[Tally, list[threading.Thread]]:
    """Start `web` + `open311` client threads; the caller joins them."""
    tally = Tally()
    threads = [threading.Thread(target=web_client, args=(base, plan, tally)) for _ in range(web)]
    threads += [
        threading.Thread(
            target=open311_client,
            args=(base, plan, tally),
            kwargs={"api_key": api_key, "service_code": service_code},
        )
        for _ in range(open311)
    ]
    for thread in threads:
        thread.start()
    return tally, threads

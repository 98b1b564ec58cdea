"""A batch of told stories as database rows: the cases as they stand at the horizon, and
their history (`CaseEvent`) as the services would have written it.

Only what happened before the horizon is written; where a case stands follows from that:
acknowledged or not, waiting (its pause not yet counted), closed with an outcome, or
reopened with a new answer clock. Event data has the services' shape, e.g.
`{"status": {"from": "new", "to": "in_progress"}}`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from servicenav.cases import demo_texts as texts
from servicenav.cases.demo import CONTACT_ODDS
from servicenav.cases.models import CaseEvent, Channel, Kind, Outcome, Status
from servicenav.core.generate.intake import CHANNEL_LIST
from servicenav.core.generate.timeline import DAY, NEVER, dates

if TYPE_CHECKING:
    from servicenav.cases.demo_texts import Text
    from servicenav.core.generate.intake import Catalog
    from servicenav.core.generate.organisation import Organisation
    from servicenav.core.generate.stories import Steps
    from servicenav.core.generate.timeline import Timeline
    from servicenav.kpis.case_statistics import BoolArray, IntArray

Row = tuple[Any, ...]
ANONYMOUS, NO_ACTION, GOOD_EXAMPLE, PUBLISHED = 0.25, 0.12, 0.3, 0.03
CASE_FIELDS = [
    "id", "reference", "follow_up_hash", "kind", "channel", "unit_id", "category_id", "text",
    "attributes", "api_key_id", "commitment_id", "place", "latitude", "longitude",
    "reporter_name", "reporter_email", "reporter_phone", "wants_answer", "language", "status",
    "outcome", "outcome_note", "assigned_to_id", "merged_into_id", "received_at",
    "registered_at", "acknowledge_by", "answer_by", "clock_started_on", "answer_days",
    "paused_days", "waiting_since", "acknowledged_at", "first_reply_at", "closed_at",
    "acknowledged_in_time", "answered_in_time", "is_good_example", "good_example_summary",
    "is_published", "public_summary", "public_answer", "anonymised_at", "submission_token",
]  # fmt: skip
EVENT_FIELDS = ["id", "case_id", "at", "actor_id", "type", "text", "data", "is_public"]


@dataclass
class Citizens:
    """Who wrote each case: a name, an address and a number, or nobody (anonymous)."""

    name: list[str]
    email: list[str]
    phone: list[str]
    wants_answer: list[bool]

    @property
    def has_contact(self) -> BoolArray:
        return np.array([bool(e or p) for e, p in zip(self.email, self.phone, strict=True)])


def citizens(rng: np.random.Generator, channel: IntArray) -> Citizens:
    count = channel.size
    named = rng.random(count) >= ANONYMOUS
    first = rng.integers(0, len(texts.FIRST_NAMES), count).tolist()
    last = rng.integers(0, len(texts.LAST_NAMES), count).tolist()
    odds = np.array(
        [CONTACT_ODDS.get(Channel(c), CONTACT_ODDS[Channel.WEB]) for c in CHANNEL_LIST]
    )[channel]
    email = named & (rng.random(count) < odds[:, 0])
    phone = named & (rng.random(count) < odds[:, 1])
    domain = rng.integers(0, len(texts.MAIL_DOMAINS), count).tolist()
    number = rng.integers(5, 100, count).tolist()
    wants = (email | phone) & (rng.random(count) < 0.85)
    names = [
        f"{texts.FIRST_NAMES[f]} {texts.LAST_NAMES[la]}" if ok else ""
        for f, la, ok in zip(first, last, named.tolist(), strict=True)
    ]
    return Citizens(
        name=names,
        email=[
            f"{_ascii(name).replace(' ', '.')}@{texts.MAIL_DOMAINS[d]}" if ok else ""
            for name, d, ok in zip(names, domain, email.tolist(), strict=True)
        ],
        # The series PTS keeps for fiction.
        phone=[
            f"070-174 06 {n:02d}" if ok else ""
            for n, ok in zip(number, phone.tolist(), strict=True)
        ],
        wants_answer=wants.tolist(),
    )


def _ascii(name: str) -> str:
    return name.lower().translate(str.maketrans("åäöé", "aaoe"))


@dataclass
class Batch:
    """Everything about one batch of cases the rows are made of."""

    ids: IntArray
    references: list[str]
    receiver: IntArray
    text: IntArray
    channel: IntArray
    received: IntArray
    citizens: Citizens
    steps: Steps
    merged_into: IntArray  # case id, or -1
    merged_into_reference: list[str]
    horizon: int
    organisation: Organisation
    catalog: Catalog
    timeline: Timeline

    def happened(self, moments: IntArray) -> BoolArray:
        return moments < self.horizon

    def text_of(self, position: int) -> Text:
        return self.catalog.texts[position][1]


@dataclass
class Handling:
    """How each case was handled, drawn once for its row and its events."""

    text: list[str]
    reply: list[str]  # the answer's body
    outcome: list[str]
    note: list[str]
    good_example: IntArray  # moments
    published: IntArray


_WORDS = {
    "gata": texts.STREETS,
    "gata2": texts.STREETS,
    "omrade": texts.AREAS,
    "skola": texts.SCHOOLS,
    "forskola": texts.PRESCHOOLS,
    "boende": texts.HOMES,
    "personal": texts.STAFF_NAMES,
}


def handle(batch: Batch, rng: np.random.Generator) -> Handling:
    count = batch.ids.size
    drawn = {name: rng.integers(0, len(words), count).tolist() for name, words in _WORDS.items()}
    drawn["nr"] = rng.integers(1, 61, count).tolist()
    no_action = (rng.random(count) < NO_ACTION).tolist()
    reason = rng.integers(0, len(texts.NO_ACTION_REASONS), count).tolist()
    case_texts, replies, outcomes, notes = [], [], [], []
    for i, position in enumerate(batch.text.tolist()):
        text = batch.text_of(position)
        words = {name: _WORDS[name][drawn[name][i]] for name in _WORDS}
        words["nr"] = str(drawn["nr"][i])
        case_texts.append(text.text.format(**words))
        reply = text.reply.format(**words)
        outcome, note = text.outcome, ""
        if text.outcome == Outcome.REFERRED:
            note = text.referred_to
        elif text.kind in (Kind.COMPLAINT, Kind.SUGGESTION) and no_action[i]:
            outcome = Outcome.NO_ACTION
            note = texts.NO_ACTION_REASONS[reason[i]]
            reply = f"Vi har tittat på det du skriver. {note}"
        elif text.outcome == Outcome.NO_ACTION:
            note = reply
        replies.append(reply)
        outcomes.append(Outcome.DUPLICATE if batch.merged_into[i] >= 0 else outcome)
        notes.append(batch.merged_into_reference[i] if batch.merged_into[i] >= 0 else note)
    steps, timeline = batch.steps, batch.timeline
    settled = timeline.happens(steps.closed) & ~timeline.happens(steps.reopened)
    praise = batch.catalog.kind[batch.text] == Kind.values.index(Kind.PRAISE)
    publishable = np.isin(outcomes, [Outcome.ACTIONED, Outcome.ANSWERED, Outcome.NO_ACTION])
    good = settled & praise & (rng.random(count) < GOOD_EXAMPLE)
    published = settled & publishable & (rng.random(count) < PUBLISHED)
    return Handling(
        text=case_texts,
        reply=replies,
        outcome=outcomes,
        note=notes,
        good_example=np.where(
            good, timeline.moment(steps.closed, rng.integers(0, 6, count)), NEVER
        ),
        published=np.where(
            published, timeline.moment(steps.closed, rng.integers(1, 11, count)), NEVER
        ),
    )


@dataclass
class Standing:
    """Where each case stands at the horizon."""

    acknowledged: BoolArray
    reopened: BoolArray
    closed: BoolArray  # closed now (the first close, or the one after reopening)
    waiting: BoolArray  # waiting now
    in_progress: BoolArray
    first_reply: IntArray  # moment, NEVER if none yet
    closed_at: IntArray


def standing(batch: Batch) -> Standing:
    steps, happened = batch.steps, batch.happened
    reopened = happened(steps.reopened)
    closed_first = happened(steps.closed) & ~reopened
    closed = closed_first | happened(steps.closed_again)
    waiting = happened(steps.waiting) & ~happened(steps.resumed)
    moved_on = [steps.started, steps.asked, steps.resumed, steps.replied, steps.reopened]
    in_progress = np.logical_or.reduce([happened(m) for m in moved_on])
    first_reply = np.min(
        [
            np.where(happened(m), m, NEVER)
            for m in (steps.asked, steps.replied, steps.replied_again)
        ],
        axis=0,
    )
    closed_at = np.where(closed_first, steps.closed, np.where(closed, steps.closed_again, NEVER))
    return Standing(
        acknowledged=happened(steps.acknowledged),
        reopened=reopened,
        closed=closed,
        waiting=waiting & ~closed,
        in_progress=in_progress,
        first_reply=first_reply,
        closed_at=closed_at,
    )


_CONSTANT = {
    "attributes": "{}",
    "api_key_id": None,
    "commitment_id": None,
    "place": "",
    "latitude": None,
    "longitude": None,
    "language": "sv",
    "anonymised_at": None,
    "submission_token": None,
}


def case_rows(batch: Batch, handling: Handling) -> list[Row]:
    state = standing(batch)
    columns = {
        **_intake_columns(batch, handling),
        **_clock_columns(batch, state),
        **_handling_columns(batch, state, handling),
    }
    count = batch.ids.size
    ordered = [columns.get(name, [_CONSTANT.get(name)] * count) for name in CASE_FIELDS]
    return list(zip(*ordered, strict=True))


def _intake_columns(batch: Batch, handling: Handling) -> dict[str, list[Any]]:
    """What came in, from whom, to which unit."""
    receivers = [batch.organisation.receivers[r] for r in batch.receiver.tolist()]
    texts_ = [batch.text_of(t) for t in batch.text.tolist()]
    return {
        "id": batch.ids.tolist(),
        "reference": batch.references,
        "follow_up_hash": _hashes(batch),
        "kind": [text.kind for text in texts_],
        "channel": [CHANNEL_LIST[c].value for c in batch.channel.tolist()],
        "unit_id": [receiver.unit.pk for receiver in receivers],
        "category_id": [
            receiver.categories.get(text.category)
            for receiver, text in zip(receivers, texts_, strict=True)
        ],
        "text": handling.text,
        "reporter_name": batch.citizens.name,
        "reporter_email": batch.citizens.email,
        "reporter_phone": batch.citizens.phone,
        "wants_answer": batch.citizens.wants_answer,
        "answer_days": [
            receiver.deadlines[text.kind][1]
            for receiver, text in zip(receivers, texts_, strict=True)
        ],
    }


def _clock_columns(batch: Batch, state: Standing) -> dict[str, list[Any]]:
    """When things happened, and the two clocks as they stand."""
    steps, happened, timeline = batch.steps, batch.happened, batch.timeline
    answer_by = np.select(
        [state.reopened, happened(steps.resumed)],
        [steps.answer_by_reopened, steps.answer_by_paused],
        steps.answer_by,
    )
    started_on = np.where(state.reopened, steps.reopened // DAY, batch.received // DAY)
    paused = np.where(happened(steps.resumed) & ~state.reopened, steps.paused_days, 0)
    acknowledged = np.where(state.acknowledged, steps.acknowledged, NEVER)
    return {
        "received_at": timeline.datetimes(batch.received),
        "registered_at": timeline.datetimes(steps.registered),
        "acknowledge_by": dates(steps.acknowledge_by),
        "answer_by": dates(answer_by),
        "clock_started_on": dates(started_on),
        "paused_days": paused.tolist(),
        "waiting_since": timeline.datetimes(np.where(state.waiting, steps.waiting, NEVER)),
        "acknowledged_at": timeline.datetimes(acknowledged),
        "first_reply_at": timeline.datetimes(state.first_reply),
        "closed_at": timeline.datetimes(state.closed_at),
        # Frozen by the first acknowledgement and the first close.
        "acknowledged_in_time": _maybe(
            steps.acknowledged // DAY <= steps.acknowledge_by, state.acknowledged
        ),
        "answered_in_time": _maybe(
            steps.closed // DAY <= steps.answer_by_paused, happened(steps.closed)
        ),
    }


def _handling_columns(batch: Batch, state: Standing, handling: Handling) -> dict[str, list[Any]]:
    """Where the case stands, who has it, how it ended and what was made public."""
    happened = batch.happened
    closed_again = happened(batch.steps.closed_again)
    handlers = [
        batch.organisation.handlers[batch.organisation.receivers[r].service].pk
        for r in batch.receiver.tolist()
    ]
    assigned = state.acknowledged & (batch.ids % 5 != 0)  # four in five: assigned, too
    published = happened(handling.published)
    summaries = [batch.text_of(t).summary for t in batch.text.tolist()]
    return {
        "status": np.select(
            [state.closed, state.waiting, state.in_progress],
            [Status.CLOSED, Status.WAITING, Status.IN_PROGRESS],
            Status.NEW,
        ).tolist(),
        "outcome": np.select(
            [~state.closed, closed_again], ["", Outcome.ACTIONED], handling.outcome
        ).tolist(),
        "outcome_note": np.where(state.closed & ~closed_again, handling.note, "").tolist(),
        "assigned_to_id": [
            h if a else None for h, a in zip(handlers, assigned.tolist(), strict=True)
        ],
        "merged_into_id": [m if m >= 0 else None for m in batch.merged_into.tolist()],
        "is_good_example": happened(handling.good_example).tolist(),
        "good_example_summary": _where(happened(handling.good_example), summaries),
        "is_published": published.tolist(),
        "public_summary": _where(published, _summaries(batch)),
        "public_answer": _where(published, handling.reply),
    }


def _maybe(values: BoolArray, known: BoolArray) -> list[bool | None]:
    return [v if k else None for v, k in zip(values.tolist(), known.tolist(), strict=True)]


def _where(condition: BoolArray, values: list[str]) -> list[str]:
    return [v if c else "" for v, c in zip(values, condition.tolist(), strict=True)]


def _hashes(batch: Batch) -> list[str]:
    """A hash no code matches: these cases can only be followed with a signed link."""
    raw = batch.timeline.rng.bytes(32 * batch.ids.size).hex()
    return [raw[i : i + 64] for i in range(0, len(raw), 64)]


def _summaries(batch: Batch) -> list[str]:
    names = {
        Kind.COMPLAINT: "Klagomål",
        Kind.SUGGESTION: "Förslag",
        Kind.QUESTION: "Fråga",
        Kind.PRAISE: "Beröm",
    }
    return [
        f"{names[Kind(batch.text_of(t).kind)]} om {batch.text_of(t).category.lower()}."
        for t in batch.text.tolist()
    ]


AGAIN = "Vi har varit på plats igen och åtgärdat det som återstod."
DUPLICATE = (
    "Vi har redan fått en synpunkt om samma sak ({reference}) och hanterar dem tillsammans. "
    "Där ser du också vårt svar."
)
Type = CaseEvent.Type


def _once(values: Sequence[str], make: Any) -> list[str]:
    """`make(value)` for each of many values that take few distinct values, made once each."""
    made = {value: make(value) for value in set(values)}
    return [made[value] for value in values]


def _status(before: str, after: str) -> str:
    return json.dumps({"status": {"from": before, "to": after}})


class _Events:
    """Events collected step by step, then numbered in the order they happened (as the
    services' inserts would have numbered them), the step order breaking ties."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.rng = batch.timeline.rng
        self.count = batch.ids.size
        receivers = [batch.organisation.receivers[r] for r in batch.receiver.tolist()]
        self.handlers = [batch.organisation.handlers[r.service] for r in receivers]
        self.handler: list[int | None] = [user.pk for user in self.handlers]
        self.letters = _Letters(batch, self.handlers, receivers)
        self.moments: list[IntArray] = []
        self.parts: list[tuple[Any, ...]] = []

    def pick(self, choices: Sequence[str]) -> list[str]:
        """One of `choices` for each case, at random."""
        return [choices[i] for i in self.rng.integers(0, len(choices), self.count).tolist()]

    def add(
        self,
        step: IntArray,
        type: str,
        *,
        actor: Sequence[int | None],
        text: Sequence[str] | str = "",
        data: Sequence[str] | str = "{}",
        public: bool = False,
        cases: IntArray | None = None,
    ) -> None:
        """One kind of event, at `step` for the cases where it happened before the horizon
        (recorded on `cases` instead of the batch's own, e.g. the case merged into)."""
        chosen = np.flatnonzero(self.batch.happened(step))
        positions = chosen.tolist()
        self.moments.append(step[chosen])
        self.parts.append(
            (
                (self.batch.ids if cases is None else cases)[chosen].tolist(),
                [actor[i] for i in positions],
                repeat(type),
                repeat(text) if isinstance(text, str) else [text[i] for i in positions],
                repeat(data) if isinstance(data, str) else [data[i] for i in positions],
                repeat(public),
            )
        )

    def rows(self, first_id: int) -> list[Row]:
        moments = np.concatenate(self.moments)
        steps = np.repeat(np.arange(len(self.moments)), [m.size for m in self.moments])
        rank = np.empty(moments.size, dtype=np.int64)
        rank[np.lexsort((steps, moments))] = np.arange(moments.size)
        ids = (first_id + rank).tolist()
        rows: list[Row] = []
        offset = 0
        for part_moments, (owners, *rest) in zip(self.moments, self.parts, strict=True):
            size = part_moments.size
            at = self.batch.timeline.datetimes(part_moments)
            rows += zip(ids[offset : offset + size], owners, at, *rest, strict=False)
            offset += size
        return rows


def event_rows(batch: Batch, handling: Handling, first_id: int) -> list[Row]:
    events = _Events(batch)
    _intake_events(events)
    _waiting_events(events)
    _answer_events(events, handling)
    _later_events(events, handling)
    return events.rows(first_id)


def _intake_events(events: _Events) -> None:
    """Registered (by staff, unless it came through the web form or an e-service),
    acknowledged or assigned, started, noted."""
    steps, handler = events.batch.steps, events.handler
    channels = [CHANNEL_LIST[c] for c in events.batch.channel.tolist()]
    events.add(
        steps.registered,
        Type.CREATED,
        actor=[
            None if c in (Channel.WEB, Channel.API) else h
            for c, h in zip(channels, handler, strict=True)
        ],
        data=_once([c.value for c in channels], lambda c: json.dumps({"channel": c})),
        public=True,
    )
    assigned = events.batch.ids % 5 != 0  # as the case's `assigned_to`
    names = _once(
        [str(user) for user in events.handlers],
        lambda name: json.dumps({"handler": {"from": None, "to": name}}),
    )
    events.add(
        np.where(assigned, steps.acknowledged, NEVER), Type.ASSIGNED, actor=handler, data=names
    )
    events.add(np.where(assigned, NEVER, steps.acknowledged), Type.ACKNOWLEDGED, actor=handler)
    started = _status("new", "in_progress")
    events.add(steps.started, Type.STATUS, actor=handler, data=started, public=True)
    events.add(steps.noted, Type.NOTE, actor=handler, text=events.pick(texts.NOTES))


def _waiting_events(events: _Events) -> None:
    """Waiting for the citizen (asked in a reply, resumed by their message) or for
    someone else (resumed by the handler)."""
    steps, happened, handler = events.batch.steps, events.batch.happened, events.handler
    question, reason, answer = texts.WAIT_FOR_CITIZEN
    started = _status("new", "in_progress")
    events.add(steps.asked, Type.REPLY, actor=handler, text=events.letters(question), public=True)
    not_started = ~happened(steps.started)
    events.add(
        np.where(not_started, steps.asked, NEVER),
        Type.STATUS,
        actor=handler,
        data=started,
        public=True,
    )
    asked = happened(steps.asked)
    moved = happened(steps.started) | asked
    others = events.pick(texts.WAIT_FOR_OTHERS)
    events.add(
        steps.waiting,
        Type.STATUS,
        actor=handler,
        text=[reason if a else o for a, o in zip(asked.tolist(), others, strict=True)],
        data=_once(
            ["in_progress" if m else "new" for m in moved.tolist()],
            lambda before: _status(before, "waiting"),
        ),
        public=True,
    )
    nobody: list[int | None] = [None] * events.count
    message = np.where(asked, steps.resumed, NEVER)
    events.add(message, Type.CITIZEN_MESSAGE, actor=nobody, text=answer, public=True)
    events.add(
        steps.resumed,
        Type.STATUS,
        actor=[None if a else h for a, h in zip(asked.tolist(), handler, strict=True)],
        data=_status("waiting", "in_progress"),
        public=True,
    )


def _later_events(events: _Events, handling: Handling) -> None:
    """Reopened (by the citizen, from the case page, when they left contact details),
    answered and closed again; praise made a good example; a case published."""
    batch, steps, handler = events.batch, events.batch.steps, events.handler
    has_contact = batch.citizens.has_contact.tolist()
    events.add(
        steps.reopened,
        Type.REOPENED,
        actor=[None if c else h for c, h in zip(has_contact, handler, strict=True)],
        text=events.pick(texts.REOPEN_REASONS),
        data=_once(handling.outcome, lambda o: json.dumps({"outcome": {"from": o, "to": None}})),
        public=True,
    )
    again = events.letters(AGAIN)
    events.add(steps.replied_again, Type.REPLY, actor=handler, text=again, public=True)
    actioned = json.dumps({"outcome": Outcome.ACTIONED.value})
    events.add(steps.closed_again, Type.CLOSED, actor=handler, data=actioned, public=True)
    coordinator: list[int | None] = [batch.organisation.coordinator.pk] * events.count
    summaries = [batch.text_of(t).summary for t in batch.text.tolist()]
    events.add(handling.good_example, Type.GOOD_EXAMPLE, actor=coordinator, text=summaries)
    events.add(handling.published, Type.PUBLISHED, actor=coordinator, text=_summaries(batch))


def _answer_events(events: _Events, handling: Handling) -> None:
    """The answer and the close; a duplicate's reply points to the case it is merged into."""
    batch, handler = events.batch, events.handler
    steps, happened = batch.steps, batch.happened
    merged = batch.merged_into >= 0
    replies = [
        DUPLICATE.format(reference=ref) if m else reply
        for m, ref, reply in zip(
            merged.tolist(), batch.merged_into_reference, handling.reply, strict=True
        )
    ]
    events.add(steps.replied, Type.REPLY, actor=handler, text=events.letters(replies), public=True)
    still_new = ~(happened(steps.started) | happened(steps.asked) | happened(steps.waiting))
    events.add(
        np.where(still_new, steps.replied, NEVER),
        Type.STATUS,
        actor=handler,
        data=_status("new", "in_progress"),
        public=True,
    )
    events.add(
        np.where(merged, steps.closed, NEVER),
        Type.MERGED,
        actor=handler,
        data=[
            json.dumps({"duplicate": r}) if m else ""
            for m, r in zip(merged.tolist(), batch.references, strict=True)
        ],
        cases=np.where(merged, batch.merged_into, batch.ids),
    )
    events.add(
        steps.closed,
        Type.CLOSED,
        actor=handler,
        text=handling.note,
        data=_once(handling.outcome, lambda o: json.dumps({"outcome": o})),
        public=True,
    )


class _Letters(Sequence[str]):
    """Replies for every case of the batch, each in its greeting and signature, written
    only when asked for (most steps happen to few cases)."""

    def __init__(self, batch: Batch, handlers: list[Any], receivers: list[Any]) -> None:
        self.names = batch.citizens.name
        self.signatures = [
            f"Vänliga hälsningar\n{user.get_full_name()}\n{receiver.unit.name_sv}"
            for user, receiver in zip(handlers, receivers, strict=True)
        ]
        self.bodies: Sequence[str] = []

    def __call__(self, body: str | Sequence[str]) -> _Letters:
        letters = _Letters.__new__(_Letters)
        letters.names, letters.signatures = self.names, self.signatures
        letters.bodies = [body] * len(self.names) if isinstance(body, str) else body
        return letters

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        name = self.names[index]
        greeting = f"Hej {name.split()[0]}!" if name else "Hej!"
        return f"{greeting}\n\n{self.bodies[index]}\n\n{self.signatures[index]}"

"""How each generated case goes, step by step, for a whole batch of cases at once.

The same story the demo tells one case at a time through the services
(`cases.demo`), with the services' rules for the clocks: the first staff action
acknowledges; waiting pushes answer-by on by the working days waited; the first close
freezes whether the answer was in time; reopening restarts the answer clock. Most cases
are acknowledged within a day or two and answered within the deadline, one in ten is
late, some wait for the citizen or someone else, a few are reopened or merged as
duplicates. Every step is a moment (`timeline`), NEVER when it does not happen;
`Story.cut` then keeps what happened before the horizon and says where each case stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from servicenav.core.generate.timeline import DAY, NEVER

if TYPE_CHECKING:
    from servicenav.core.generate.timeline import Timeline
    from servicenav.kpis.case_statistics import BoolArray, IntArray

ACKNOWLEDGE_DELAYS = {0: 45, 1: 33, 2: 12, 3: 5, 4: 3, 6: 2}  # working days: how often
UNACKNOWLEDGED, STUCK = 0.0005, 0.003  # of cases 20-200 days old: left where they are
ASSIGNED, STARTED, NOTED, WAITS, ASKS_CITIZEN = 0.8, 0.5, 0.35, 0.15, 0.6
LATE, REPLIED, REOPENED = 0.10, 0.85, 0.03


@dataclass
class Steps:
    """When each step of each case happens (local seconds, NEVER if it does not)."""

    registered: IntArray
    acknowledged: IntArray
    started: IntArray
    noted: IntArray
    asked: IntArray  # a reply asking the citizen for more
    waiting: IntArray
    resumed: IntArray
    replied: IntArray
    closed: IntArray
    reopened: IntArray
    replied_again: IntArray
    closed_again: IntArray
    # The clocks
    acknowledge_by: IntArray  # day ordinals
    answer_by: IntArray  # before any pause
    answer_by_paused: IntArray  # once a pause has ended
    answer_by_reopened: IntArray
    paused_days: IntArray


@dataclass
class Facts:
    """The facts `tell` needs about each case in the batch."""

    received: IntArray
    registered_later: IntArray  # 0 web, 1 a few minutes (phone, visit), 2 days (letter, e-mail)
    acknowledge_days: IntArray
    answer_days: IntArray
    has_contact: BoolArray
    duplicate: BoolArray


def tell(timeline: Timeline, case: Facts, horizon: int) -> Steps:
    rng, days = timeline.rng, timeline.days
    count = case.received.size
    received_on = case.received // DAY
    registered = _registered(timeline, case)
    delay = rng.choice(list(ACKNOWLEDGE_DELAYS), count, p=_shares(ACKNOWLEDGE_DELAYS))
    spent = days.between(received_on, registered // DAY)
    acknowledged = timeline.moment(registered, np.maximum(delay - spent, 0))
    age = horizon // DAY - received_on
    fate = np.where((age >= 20) & (age <= 200), rng.random(count), 1.0)
    acknowledged = np.where(fate < UNACKNOWLEDGED, NEVER, acknowledged)
    handled = fate >= UNACKNOWLEDGED + STUCK  # the rest stay unacknowledged or stuck
    steps = _handle(timeline, case, np.where(handled, acknowledged, NEVER))
    steps.registered, steps.acknowledged = registered, acknowledged
    _merge_duplicates(timeline, case, steps, horizon)
    return steps


def _registered(timeline: Timeline, case: Facts) -> IntArray:
    rng = timeline.rng
    minutes = case.received + 60 * rng.integers(3, 16, case.received.size)
    later = timeline.moment(case.received, rng.choice([0, 0, 1, 2], case.received.size))
    return np.select(
        [case.registered_later == 1, case.registered_later == 2], [minutes, later], case.received
    )


def _handle(timeline: Timeline, case: Facts, acknowledged: IntArray) -> Steps:
    """Start, note, wait, answer and close, and now and then reopen: all after the
    acknowledgement, none for cases never handled (NEVER). `tell` fills in when each case
    was registered and acknowledged."""
    rng, days = timeline.rng, timeline.days
    count = acknowledged.size
    handled = timeline.happens(acknowledged)

    def maybe(share: float) -> BoolArray:
        return handled & (rng.random(count) < share)

    started = np.where(maybe(STARTED), timeline.soon(acknowledged), NEVER)
    cursor = np.where(timeline.happens(started), started, acknowledged)
    noted = np.where(maybe(NOTED), timeline.moment(cursor, rng.integers(0, 3, count)), NEVER)
    cursor = np.where(timeline.happens(noted), noted, cursor)
    waits = maybe(WAITS)
    asks = waits & case.has_contact & (rng.random(count) < ASKS_CITIZEN)
    begin = timeline.moment(cursor, rng.integers(0, 3, count))
    asked = np.where(asks, begin, NEVER)
    waiting = np.where(waits, np.where(asks, timeline.soon(begin), begin), NEVER)
    waited = np.where(asks, rng.integers(1, 6, count), rng.integers(1, 9, count))
    resumed = np.where(waits, timeline.moment(waiting, waited), NEVER)
    received_on = case.received // DAY
    waited_from, waited_to = _day(waiting, received_on), _day(resumed, received_on)
    paused = np.maximum(days.between(waited_from, waited_to), 0)
    cursor = np.where(waits, resumed, cursor)
    answer_by = days.add(received_on, case.answer_days)
    answer_by_paused = days.add(received_on, case.answer_days + paused)
    answered = _answer(timeline, cursor, answer_by_paused)
    replied = np.where(rng.random(count) < REPLIED, answered, NEVER)
    closed = np.where(timeline.happens(replied), timeline.soon(answered), answered)
    reopened = np.where(maybe(REOPENED), timeline.moment(closed, rng.integers(1, 13, count)), NEVER)
    replied_again = timeline.moment(reopened, rng.integers(1, 7, count))
    reopened_on = _day(reopened, received_on)
    return Steps(
        registered=case.received,
        acknowledged=acknowledged,
        started=started,
        noted=noted,
        asked=asked,
        waiting=waiting,
        resumed=resumed,
        replied=replied,
        closed=closed,
        reopened=reopened,
        replied_again=replied_again,
        closed_again=timeline.soon(replied_again),
        acknowledge_by=days.add(received_on, case.acknowledge_days),
        answer_by=answer_by,
        answer_by_paused=answer_by_paused,
        answer_by_reopened=days.add(reopened_on, case.answer_days),
        paused_days=paused,
    )


def _answer(timeline: Timeline, cursor: IntArray, answer_by: IntArray) -> IntArray:
    """In time on most cases, somewhere before the deadline, more often early; one to
    eight working days late on a tenth."""
    rng, days = timeline.rng, timeline.days
    count = cursor.size
    happens = timeline.happens(cursor)
    today = np.where(happens, cursor // DAY, answer_by)
    room = np.maximum(days.between(today, answer_by), 0)
    early = days.add(today, np.rint(room * rng.triangular(0, 0.4, 1, count)).astype(np.int64))
    late = days.add(answer_by, rng.integers(1, 9, count))
    target = np.where(rng.random(count) < LATE, late, early)
    return timeline.moment(cursor, np.maximum(days.between(today, target), 0))


def _merge_duplicates(timeline: Timeline, case: Facts, steps: Steps, horizon: int) -> None:
    """A duplicate gets a reply pointing to the earlier case and is closed as merged into
    it right after its acknowledgement, nothing else, when that has happened by now."""
    reply = timeline.soon(steps.acknowledged)
    close = timeline.soon(reply)
    merged = case.duplicate & (close < horizon) & timeline.happens(steps.closed)
    case.duplicate = merged
    for name in ("started", "noted", "asked", "waiting", "resumed", "reopened"):
        setattr(steps, name, np.where(merged, NEVER, getattr(steps, name)))
    steps.replied_again = np.where(merged, NEVER, steps.replied_again)
    steps.closed_again = np.where(merged, NEVER, steps.closed_again)
    steps.replied = np.where(merged, reply, steps.replied)
    steps.closed = np.where(merged, close, steps.closed)
    steps.answer_by_paused = np.where(merged, steps.answer_by, steps.answer_by_paused)
    steps.paused_days = np.where(merged, 0, steps.paused_days)


def _day(moments: IntArray, otherwise: IntArray) -> IntArray:
    """The day of each moment; `otherwise` where it never happens."""
    return np.where(moments < NEVER, moments // DAY, otherwise)


def _shares(weights: dict[int, int]) -> npt.NDArray[np.float64]:
    array = np.array(list(weights.values()), dtype=np.float64)
    return array / array.sum()

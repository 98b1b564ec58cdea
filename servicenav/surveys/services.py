"""Writes to surveys: rounds and their questions, invitation codes, responses.

A new round copies the previous round's questions, so rounds stay comparable; rewording a
question in a round that has no answers yet replaces it with a new question at the same
place. A response is stored with no trace of the invitation code it came with: the code's
row is deleted in the same transaction."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record
from servicenav.core.models import AuditEntry
from servicenav.kpis.stale import mark_survey_answered
from servicenav.surveys.models import (
    Conclusion,
    FocusGroup,
    Invitation,
    Question,
    Quote,
    Response,
    Round,
    RoundQuestion,
    Survey,
    TextAnswer,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import date

    from django_stubs_ext import StrOrPromise

    from servicenav.organisation.models import Unit, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 10
MAX_INVITATIONS = 50_000


def hash_code(code: str) -> str:
    """Codes are random, so a plain SHA-256 keeps them safe; case and dashes don't matter."""
    normalised = code.upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _asked(survey: Survey) -> set[int]:
    """Questions some round of the survey has asked (replaced wordings included)."""
    asked = RoundQuestion.objects.filter(round__survey=survey).values_list("question", flat=True)
    return set(asked)


@transaction.atomic
def round_create(
    *, survey: Survey, name: str, opens_on: date, closes_on: date, by: User | None
) -> Round:
    """A new round with the previous round's questions, then the survey's questions no
    round has asked yet (all of them, for the first round)."""
    if closes_on < opens_on:
        raise ValidationError(_("The round must close on or after the day it opens."))
    previous = survey.rounds.order_by("-opens_on", "-id").first()
    questions, public = [], set()
    if previous is not None:
        questions = [rq.question for rq in previous.round_questions.select_related("question")]
        public = {rq.question_id for rq in previous.round_questions.filter(is_public=True)}
    # Questions added to the survey since: asked from this round on.
    questions += list(survey.questions.exclude(pk__in=_asked(survey)).order_by("order", "id"))
    new = Round.objects.create(survey=survey, name=name, opens_on=opens_on, closes_on=closes_on)
    RoundQuestion.objects.bulk_create(
        RoundQuestion(round=new, question=q, position=i, is_public=q.pk in public)
        for i, q in enumerate(questions)
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=new,
        unit=survey.unit,
        changes={"round": {"from": None, "to": name}},
    )
    return new


@transaction.atomic
def round_question_replace(
    *, round: Round, question: Question, by: User | None, **changes: Any
) -> Question:
    """A new wording or scale is a new question: it takes the old one's place in this
    round (which must have no answers yet); earlier rounds keep the old one."""
    if round.responses.exists():
        raise ValidationError(_("The round has answers: its questions can no longer change."))
    place = RoundQuestion.objects.get(round=round, question=question)
    fields = {
        field.name: getattr(question, field.name)
        for field in Question._meta.concrete_fields
        if field.name not in {"id"}
    }
    replacement = Question.objects.create(**{**fields, **changes})
    place.question = replacement
    place.save(update_fields=["question"])
    if not RoundQuestion.objects.filter(question=question).exists():
        question.delete()  # a wording no round asks: otherwise later rounds would add it back
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=round,
        unit=round.survey.unit,
        changes={"question": {"from": question.text_sv, "to": replacement.text_sv}},
    )
    return replacement


@transaction.atomic
def invitations_create(*, round: Round, count: int, by: User | None) -> list[str]:
    """`count` new single-use codes, returned once in clear text (for letters or e-mail)."""
    if not 1 <= count <= MAX_INVITATIONS:
        raise ValidationError(
            _("Make between 1 and %(max)d codes at a time.") % {"max": MAX_INVITATIONS}
        )
    codes = [new_code() for _ in range(count)]
    Invitation.objects.bulk_create(
        (Invitation(round=round, code_hash=hash_code(code)) for code in codes), batch_size=2000
    )
    Round.objects.filter(pk=round.pk).update(invitations_sent=F("invitations_sent") + count)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=round,
        unit=round.survey.unit,
        changes={"invitations": {"from": None, "to": count}},
    )
    return codes


def invitation_valid(round: Round, code: str) -> bool:
    """True when `code` is an unused invitation to `round`."""
    return Invitation.objects.filter(round=round, code_hash=hash_code(code)).exists()


def response_submit(
    *,
    round: Round,
    answers: Mapping[int, int | str | None],
    channel: str = Response.Channel.WEB,
    code: str = "",
    today: date | None = None,
    questions: Sequence[Question] | None = None,
) -> Response:
    """Store one person's answers (`answers` by question id, as `answers.clean_answer`
    returns them). With `code`, the invitation is deleted in the same transaction, so nothing
    about it is kept; a used or unknown code refuses the whole response. `questions` are the
    round's questions in their order, when the caller has read them already (the web form
    has, to check the answers)."""
    today = today or timezone.localdate()
    if channel == Response.Channel.WEB and not round.is_open(today):
        raise ValidationError(_("The survey is closed."))
    if questions is None:
        questions = [place.question for place in round.round_questions.select_related("question")]
    stored: list[int | None] = []
    texts = []
    for question in questions:
        value = answers.get(question.pk)
        if isinstance(value, str):
            texts.append((question, value))
            value = None
        stored.append(value)
    # Answers without a code or a free text are one INSERT, a transaction by itself: a
    # BEGIN and a COMMIT around it would be two more trips to the database per answer.
    with transaction.atomic() if code or texts else contextlib.nullcontext():
        if code:
            _invitation_use(round, code)
        response = Response.objects.create(
            round=round, answers=stored, channel=channel, submitted_on=today
        )
        if texts:
            TextAnswer.objects.bulk_create(
                TextAnswer(response=response, question=question, text=text)
                for question, text in texts
            )
        # KPIs: a late (paper) answer to a closed round changes its survey indicators.
        mark_survey_answered(round, today=today)
    return response


def _invitation_use(round: Round, code: str) -> None:
    """Delete the invitation `code` of `round`, or refuse the response when there is none."""
    used, _counts = Invitation.objects.filter(round=round, code_hash=hash_code(code)).delete()
    if not used:
        raise ValidationError(_("The code is not valid or has already been used."))


# --- The staff side: publishing, paper answers, conclusions, focus groups, free texts ---

# Paper forms come in by post after the round closes: staff may enter them this long after.
PAPER_GRACE_DAYS = 30
MAX_THEMES = 10
MAX_THEME_LENGTH = 40
MAX_QUOTE = 1000


@transaction.atomic
def round_question_publish(
    *, round_question: RoundQuestion, public: bool, by: User | None
) -> RoundQuestion:
    """Put a question's results on the public results site, or take them off. Free-text
    answers are never published as they are: staff publish chosen quotes instead."""
    if public and round_question.question.kind == Question.Kind.TEXT:
        raise ValidationError(_("Free-text answers are not published; publish quotes instead."))
    if round_question.is_public != public:
        round_question.is_public = public
        round_question.save(update_fields=["is_public"])
        round = round_question.round
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=round,
            unit=round.survey.unit,
            changes={"public": {"from": not public, "to": public}},
        )
    return round_question


@transaction.atomic
def paper_response_enter(
    *,
    round: Round,
    answers: Mapping[int, int | str | None],
    by: User | None,
    today: date | None = None,
) -> Response:
    """A paper form typed in by staff: accepted from the day the round opens until
    `PAPER_GRACE_DAYS` after it closes, since letters arrive late. The log says that a
    paper answer was entered, not which."""
    today = today or timezone.localdate()
    if today < round.opens_on:
        raise ValidationError(_("The round has not opened yet: paper answers cannot be entered."))
    if today > round.closes_on + timedelta(days=PAPER_GRACE_DAYS):
        raise ValidationError(
            _("Paper answers can be entered until %(days)d days after the round closed.")
            % {"days": PAPER_GRACE_DAYS}
        )
    response = response_submit(
        round=round, answers=answers, channel=Response.Channel.PAPER, today=today
    )
    count = round.responses.filter(channel=Response.Channel.PAPER).count()
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=round,
        unit=round.survey.unit,
        changes={"paper_responses": {"from": count - 1, "to": count}},
    )
    return response


def _required_text(value: str, message: StrOrPromise) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(message)
    return value


@transaction.atomic
def conclusion_add(*, round: Round, text: str, actions: str, by: User | None) -> Conclusion:
    """What staff concluded from a round, with the actions decided."""
    conclusion = Conclusion.objects.create(
        round=round,
        text=_required_text(text, _("Write the conclusion.")),
        actions=actions.strip(),
        created_by=by,
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=conclusion,
        unit=round.survey.unit,
        changes={"text": {"from": None, "to": conclusion.text}},
    )
    return conclusion


@transaction.atomic
def conclusion_update_outcome(
    *, conclusion: Conclusion, outcome: str, by: User | None
) -> Conclusion:
    """Record what was done about a conclusion, usually when the next round comes."""
    before, conclusion.outcome = conclusion.outcome, outcome.strip()
    if before != conclusion.outcome:
        conclusion.save(update_fields=["outcome"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=conclusion,
            unit=conclusion.round.survey.unit,
            changes={"outcome": {"from": before, "to": conclusion.outcome}},
        )
    return conclusion


@transaction.atomic
def focus_group_record(
    *,
    unit: Unit,
    survey: Survey | None,
    held_on: date,
    target_group: str,
    participants: int,
    summary: str,
    method: str = "",
    themes: str = "",
    quotes: str = "",
    actions: str = "",
    by: User | None,
) -> FocusGroup:
    """A focus-group interview, next to a unit and optionally one of its surveys."""
    if survey is not None and not survey.unit.is_within(unit):
        raise ValidationError(_("Choose a survey of the unit or of a unit below it."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Record the focus group once it has been held."))
    if not 1 <= participants <= 100:
        raise ValidationError(_("The number of participants must be between 1 and 100."))
    group = FocusGroup.objects.create(
        unit=unit,
        survey=survey,
        held_on=held_on,
        target_group=_required_text(target_group, _("Describe the target group.")),
        participants=participants,
        method=method.strip(),
        summary=_required_text(summary, _("Write a summary.")),
        themes=themes.strip(),
        quotes=quotes.strip(),
        actions=actions.strip(),
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=group,
        unit=unit,
        changes={"focus_group": {"from": None, "to": str(group)}},
    )
    return group


def _themes(themes: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for theme in themes:
        theme = " ".join(theme.split())
        if theme and theme.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(theme)
    if len(cleaned) > MAX_THEMES or any(len(t) > MAX_THEME_LENGTH for t in cleaned):
        raise ValidationError(
            _("Give at most %(count)d themes of at most %(length)d characters each.")
            % {"count": MAX_THEMES, "length": MAX_THEME_LENGTH}
        )
    return cleaned


@transaction.atomic
def text_answer_tag(
    *, text_answer: TextAnswer, themes: Iterable[str], by: User | None
) -> TextAnswer:
    """Set the themes staff read in a free-text answer. The log names the round and the
    themes, never the text, so no free text is copied into the audit log."""
    before, after = list(text_answer.themes), _themes(themes)
    if before != after:
        text_answer.themes = after
        text_answer.save(update_fields=["themes"])
        round = text_answer.response.round
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=round,
            unit=round.survey.unit,
            changes={"themes": {"from": before, "to": after}},
        )
    return text_answer


@transaction.atomic
def quote_publish(*, text_answer: TextAnswer, text: str, by: User | None) -> Quote:
    """Publish a free-text answer as a quote, in the words staff chose: shortened, and
    without anything that could identify someone."""
    text = _required_text(text, _("Write the quote."))
    if len(text) > MAX_QUOTE:
        raise ValidationError(
            _("A quote can be at most %(count)d characters long.") % {"count": MAX_QUOTE}
        )
    round = text_answer.response.round
    quote = Quote.objects.create(
        round=round, question=text_answer.question, text=text, published_by=by
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=quote,
        unit=round.survey.unit,
        changes={"quote": {"from": None, "to": text}},
    )
    return quote


@transaction.atomic
def quote_withdraw(*, quote: Quote, by: User | None) -> None:
    """Take a published quote down."""
    audit_record(
        actor=by,
        action=AuditEntry.Action.DELETE,
        obj=quote,
        unit=quote.round.survey.unit,
        changes={"quote": {"from": quote.text, "to": None}},
    )
    quote.delete()


def export_record(*, round: Round, file_format: str, with_texts: bool, by: User | None) -> None:
    """Log that a round's raw answers left the system, and whether free texts went too."""
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=round,
        unit=round.survey.unit,
        changes={"export": {"from": None, "to": f"{file_format}, texts={with_texts}"}},
    )

"""Bad input on every public form and API gets a clear answer in the reader's language,
never a server error, and stores nothing.

What counts as the answer, decided per place by what its user expects:

- HTML forms a person fills in (the feedback form, the follow-up code form, the survey
  form) are shown again with 200, with what was typed kept and an error summary on top:
  the person is still on the same page and fixes it there. A refused attachment is such an
  error too. Nothing is stored: no case, no attachment file, no answer.
- Filters in a public address (the statistics page) answer 400 with the page and its
  message: the address itself is wrong and must not be cached or indexed as a page.
  Unknown query parameters on open-data files are ignored; the file is the same.
- Staff uploads (the KPI import) answer 400 with the form and the message.
- APIs (Open311, the staff REST API) answer 400 in their own error format, in the
  language asked for (Open311 `locale`, both APIs `Accept-Language`).

Markup and SQL fragments in free text are not bad input: a citizen may quote a web page or
a query. They are stored as typed and shown as text (tests/test_output_encoding.py). Bytes
that are not UTF-8 are read as U+FFFD (Django decodes form data with errors="replace"
before any form sees it), so the form then judges the text like any other: the bytes
themselves never reach the database.

Messages are checked in Swedish and English: Swedish must be a real translation (it
differs from the English text), so an untranslated message fails here. The
property-based tests run a bounded number of examples without an example database.
The existing fuzzing of the APIs (servicenav/api/tests/test_open311_fuzz.py,
test_rest_fuzz.py) checks "never a 500" for random input; these add "stores nothing" and
"in the reader's language" for the input that is refused.
"""

from __future__ import annotations

import importlib
import io
import re
import struct
import zipfile
import zlib
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis import GenerationMode

from servicenav.api.open311.testing import make_integrator_key, make_service, parse_json
from servicenav.api.services import api_key_create
from servicenav.cases.models import Attachment, Case, CaseEvent
from servicenav.cases.services import case_submit
from servicenav.core.models import AuditEntry, OutgoingEmail
from servicenav.kpis.models import Indicator, Measurement
from servicenav.organisation.models import Role
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.surveys.models import Question, Response, Survey, TextAnswer
from servicenav.surveys.services import round_create
from servicenav.testing import feedback_form, make_case, make_user
from servicenav.wsgi import application

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from django.http import HttpResponse

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,  # nothing written into the working tree
)
LANGUAGES = ["sv", "en"]
SQL = "'; DROP TABLE cases_case; --"
MARKUP = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
# Values every field gets to see: empty, NUL bytes, markup, SQL, numbers out of range,
# other scripts and sizes well past every limit.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        MARKUP,
        SQL,
        "1 OR 1=1",
        "NaN",
        "1e999",
        "-0",
        "9" * 400,
        "[]",
        "{}",
        "%00",
        "‮evil",
        "日本語のテキスト",
    ]
)
texts = st.one_of(
    NASTY,
    st.text(max_size=40),
    st.integers(min_value=4001, max_value=12_000).map(lambda n: "å" * n),
)


@pytest.fixture(autouse=True)
def _fresh_limits_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def translated(message: str | tuple[str, str, int], language: str, **params: object) -> str:
    """`message` (or a (singular, plural, n) triple) as a reader of `language` sees it;
    Swedish must really be translated."""
    with translation.override(language):
        text = gettext(message) if isinstance(message, str) else ngettext(*message)
    english = message if isinstance(message, str) else message[1]
    if language == "sv":
        assert text != english, f"not translated into Swedish: {english!r}"
    text = text % params if params else text
    return " ".join(text.split())  # as page_text and error_summary collapse spaces


# Django's own message for a text over its limit.
TOO_LONG = (
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
)


def page_text(response: HttpResponse) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def error_summary(response: HttpResponse) -> str:
    content = response.content.decode()
    start = content.index('id="error-summary"')
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", content[start : content.index("</ul>", start)])).split()
    )


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


# --- The feedback form (/synpunkter/ny/) ---------------------------------------------


FEEDBACK_FIELDS = [
    "kind",
    "unit",
    "text",
    "place",
    "latitude",
    "longitude",
    "contact",
    "name",
    "email",
    "phone",
    "submission_token",
    "commitment",
]


@BOUNDED
@given(
    changes=st.dictionaries(
        st.sampled_from(FEEDBACK_FIELDS),
        st.one_of(texts, st.lists(texts, max_size=3)),
        min_size=1,
        max_size=5,
    ),
    language=st.sampled_from(LANGUAGES),
    answer=st.booleans(),
)
def test_the_feedback_form_answers_any_input_with_a_receipt_or_its_errors(
    client, tree, changes, language, answer
):
    cache.clear()
    base = feedback_form(contact="answer", email="kim@example.org") if answer else feedback_form()
    before = Case.objects.count()

    response = client.post(url("cases:submit", language), base | changes)

    if response.status_code == 302:
        assert response["Location"] == url("cases:receipt", language)
        assert Case.objects.count() == before + 1
        Case.objects.all().delete()  # the next example starts from none again
    else:
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
        assert translated("Something needs to be fixed", language) in error_summary(response)
        assert Case.objects.count() == before


BAD_FEEDBACK = [
    pytest.param({"text": "Hej\x00då"}, "text", "Null characters are not allowed.", {}, id="nul"),
    pytest.param(
        {"text": "x" * 4001},
        "text",
        (*TOO_LONG, 4000),
        {"limit_value": 4000, "show_value": 4001},
        id="oversized",
    ),
    pytest.param({"kind": ""}, "kind", "Choose what kind of feedback it is.", {}, id="missing"),
    pytest.param(
        {"kind": SQL},
        "kind",
        "Select a valid choice. %(value)s is not one of the available choices.",
        {"value": SQL},
        id="sql-as-kind",
    ),
    pytest.param(
        {"unit": "1 OR 1=1"},
        "unit",
        "Select a valid choice. That choice is not one of the available choices.",
        {},
        id="sql-as-unit",
    ),
    pytest.param(
        {"latitude": "nord", "longitude": "22.15"}, "latitude", "Enter a number.", {}, id="type"
    ),
    pytest.param(
        {"contact": "answer", "email": MARKUP},
        "email",
        "Enter a valid email address.",
        {},
        id="markup-as-email",
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("changes", "field", "message", "params"), BAD_FEEDBACK)
def test_bad_feedback_is_shown_again_with_the_message_in_the_readers_language(
    client, tree, language, changes, field, message, params
):
    response = client.post(url("cases:submit", language), feedback_form(**changes))

    assert response.status_code == 200
    expected = translated(message, language, **params)
    assert expected in error_summary(response)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_bytes_that_are_not_utf8_are_never_stored_as_such(client, tree):
    body = "&".join(f"{name}={quote(str(value))}" for name, value in feedback_form().items())
    body = body.replace("text=", "text=%FF%FE%C3%28", 1)

    response = client.generic(
        "POST", url("cases:submit", "sv"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302
    text = Case.objects.get().text
    assert text.startswith("\ufffd")
    text.encode("utf-8")  # a valid string: the bytes were replaced, not kept


# --- Attachments ---------------------------------------------------------------------


def tiny_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue()


def object_stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    head = b"9 0 obj\n<< /Type /ObjStm %s/N 1 /First 4 /Filter /FlateDecode /Length %d >>\n"
    return head % (extra, len(packed)) + b"stream\n" + packed + b"\nendstream\nendobj\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb() -> bytes:
    """A 10,000 × 10,000 grey PNG of zeros: about 100 KB that unpack into 100 MB."""
    side = 10_000
    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte and one byte per pixel
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


NOT_ACCEPTED = (
    "“%(name)s” is not a picture (JPEG, PNG or WebP) or a PDF document that we can accept."
)
ACTIVE = "“%(name)s” contains scripts or embedded files. Send a plain PDF or a picture."
BAD_UPLOADS: list[tuple[str, Callable[[], bytes], str]] = [
    ("program.jpg", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 500, NOT_ACCEPTED),
    (
        "setup.pdf",
        lambda: b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 400,
        NOT_ACCEPTED,
    ),
    ("karta.png", decompression_bomb, NOT_ACCEPTED),
    ("trasig.pdf", lambda: b"%PDF-1.7\n" + b"\x00" * 100, NOT_ACCEPTED),
    (
        "skript.pdf",
        lambda: tiny_pdf().replace(b"%%EOF", b"<< /S /JavaScript /JS (app.alert(1)) >>\n%%EOF"),
        ACTIVE,
    ),
    (
        "maskerat.pdf",  # the names spelled with #xx escapes
        lambda: tiny_pdf().replace(b"%%EOF", b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>\n%%EOF"),
        ACTIVE,
    ),
    (
        "gomt.pdf",  # the script's dictionary compressed inside an object stream
        lambda: tiny_pdf().replace(
            b"%%EOF", object_stream(b"1 0 << /S /JavaScript /JS (app.alert(1)) >>") + b"%%EOF"
        ),
        ACTIVE,
    ),
    (
        "vilseledande.pdf",  # the object stream's dictionary written to mislead a reader
        lambda: tiny_pdf().replace(
            b"%%EOF",
            object_stream(b"1 0 << /S /JavaScript /JS (app.alert(1)) >>", b"/X (endobj 8 0 obj) ")
            + b"%%EOF",
        ),
        ACTIVE,
    ),
    (
        "bifogat.pdf",
        lambda: tiny_pdf().replace(b"%%EOF", b"<< /EmbeddedFiles 3 0 R >>\n%%EOF"),
        ACTIVE,
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "content", "message"), BAD_UPLOADS, ids=[name for name, _c, _m in BAD_UPLOADS]
)
def test_a_harmful_upload_is_refused_with_a_message_and_nothing_is_stored(
    client, tree, tmp_path, language, name, content, message
):
    upload = SimpleUploadedFile(name, content(), content_type="image/jpeg")

    response = client.post(url("cases:submit", language), feedback_form(attachments=[upload]))

    assert response.status_code == 200
    assert translated(message, language, name=name) in error_summary(response)
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert files_in(tmp_path) == []


def test_a_truncated_picture_is_refused_even_after_weasyprint_was_loaded(client, tree):
    # WeasyPrint (the report PDFs) tells Pillow to load truncated images, process-wide.
    importlib.import_module("weasyprint.images")
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, "JPEG")
    half = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    upload = SimpleUploadedFile("trasig.jpg", half, content_type="image/jpeg")

    response = client.post(url("cases:submit", "en"), feedback_form(attachments=[upload]))

    assert translated(NOT_ACCEPTED, "en", name="trasig.jpg") in error_summary(response)
    assert not Case.objects.exists()


def test_a_plain_pdf_in_an_object_stream_is_still_accepted(client, tree):
    document = tiny_pdf().replace(b"%%EOF", object_stream(b"1 0 << /Type /Annot >>") + b"%%EOF")
    upload = SimpleUploadedFile("brev.pdf", document, content_type="application/pdf")

    client.post(url("cases:submit", "sv"), feedback_form(attachments=[upload]))

    assert Case.objects.get().attachments.count() == 1


# A part without a usable file name is what a browser sends for "no file chosen".
FILE_NAMES = st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=40).map(
    lambda name: f"{name}.jpg"
)


@settings(BOUNDED, max_examples=20)
@given(content=st.binary(max_size=2000), name=FILE_NAMES)
def test_random_bytes_as_an_attachment_are_refused_not_an_error(client, tree, content, name):
    cache.clear()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client.post(url("cases:submit", "en"), feedback_form(attachments=[upload]))

    assert response.status_code == 200
    assert not Case.objects.exists()


# --- The citizen's follow-up pages ---------------------------------------------------


@BOUNDED
@given(reference=texts, code=texts, language=st.sampled_from(LANGUAGES))
def test_the_follow_up_form_answers_any_code_with_its_errors(
    client, tree, reference, code, language
):
    cache.clear()
    response = client.post(url("cases:follow", language), {"reference": reference, "code": code})

    assert response.status_code == 200
    assert translated("Something needs to be fixed", language) in error_summary(response)


BAD_FOLLOW = [
    pytest.param(
        {"reference": "S-2026-00001", "code": ""}, "Write the follow-up code.", {}, id="missing"
    ),
    pytest.param(
        {"reference": "S-2026-00001", "code": "A\x00B"},
        "Null characters are not allowed.",
        {},
        id="nul",
    ),
    pytest.param(
        {"reference": "S" * 21, "code": "ABCD"},
        (*TOO_LONG, 20),
        {"limit_value": 20, "show_value": 21},
        id="oversized",
    ),
    pytest.param(
        {"reference": SQL[:20], "code": SQL},
        "We could not find a case with that reference and follow-up code. "
        "Check both and try again.",
        {},
        id="sql",
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("data", "message", "params"), BAD_FOLLOW)
def test_a_bad_follow_up_code_is_answered_in_the_readers_language(
    client, tree, language, data, message, params
):
    make_case(unit=tree.gata)
    response = client.post(url("cases:follow", language), data)

    assert response.status_code == 200
    assert translated(message, language, **params) in error_summary(response)
    assert client.session.get("cases_granted", []) == []


@BOUNDED
@given(reference=st.text(min_size=1, max_size=40), code=texts)
def test_any_reference_and_code_in_the_address_is_a_redirect_or_not_found(
    client, tree, reference, code
):
    cache.clear()
    path = url("cases:public-case", "sv", "S-2026-00001").replace(
        "S-2026-00001", quote(reference, safe="")
    )

    response = client.get(path, {"kod": code} if code else {})

    assert response.status_code in {302, 404}


def test_a_message_with_a_nul_byte_on_the_case_page_is_refused_and_not_stored(client, tree):
    case, code = case_submit(kind="complaint", unit=tree.gata, text="Halt.")
    client.get(url("cases:public-case", "en", case.reference), {"kod": code})
    events = CaseEvent.objects.count()

    response = client.post(url("cases:public-message", "en", case.reference), {"text": "Hej\x00"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in page_text(response)
    assert CaseEvent.objects.count() == events


# --- The survey form -----------------------------------------------------------------


@pytest.fixture
def survey_round(tree):
    survey = Survey.objects.create(
        unit=tree.gata, title_sv="Medborgarenkät", title_en="Citizen survey"
    )

    def ask(kind, text, **fields):
        return Question.objects.create(
            survey=survey, kind=kind, text_sv=text, text_en=f"{text} (en)", **fields
        )

    ask(Question.Kind.SCALE, "Hur nöjd är du?", scale_max=5, required=True, order=1)
    ask(
        Question.Kind.SINGLE,
        "Hur kontaktade du oss?",
        order=2,
        options=[{"sv": "Telefon", "en": "Phone"}, {"sv": "E-post", "en": "E-mail"}],
    )
    ask(
        Question.Kind.MULTIPLE,
        "Vilka tjänster?",
        order=3,
        options=[{"sv": name, "en": name} for name in ("Bibliotek", "Bad")],
    )
    ask(Question.Kind.TEXT, "Något mer?", order=4)
    today = timezone.localdate()
    return round_create(
        survey=survey,
        name="2026",
        opens_on=today,
        closes_on=today.replace(year=today.year + 1),
        by=None,
    )


@BOUNDED
@given(
    values=st.lists(st.one_of(texts, st.lists(texts, max_size=3)), min_size=4, max_size=4),
    language=st.sampled_from(LANGUAGES),
)
def test_the_survey_form_answers_any_input_with_thanks_or_its_errors(
    client, survey_round, values, language
):
    cache.clear()
    client.cookies.clear()  # a new respondent each time
    names = [f"q{place.question_id}" for place in survey_round.round_questions.order_by("position")]
    before = Response.objects.count(), TextAnswer.objects.count()

    response = client.post(
        url("surveys:answer", language, survey_round.link_token),
        {"action": "send", **dict(zip(names, values, strict=True))},
    )

    if response.status_code == 302:
        assert Response.objects.count() == before[0] + 1
    else:
        assert response.status_code == 200
        assert 'id="error-summary"' in response.content.decode()
        assert (Response.objects.count(), TextAnswer.objects.count()) == before


BAD_ANSWERS = [
    pytest.param(1, "\x00", "Choose one of the answers.", id="nul-as-scale"),
    pytest.param(1, SQL, "Choose one of the answers.", id="sql-as-scale"),
    pytest.param(2, "3", "Choose one of the answers.", id="no-such-option"),
    pytest.param(4, "Hej\x00då", "Null characters are not allowed.", id="nul-in-text"),
    pytest.param(4, "x" * 4001, "Write at most %(count)d characters.", id="oversized-text"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("position", "value", "message"), BAD_ANSWERS)
def test_a_bad_survey_answer_is_answered_in_the_readers_language(
    client, survey_round, language, position, value, message
):
    places = survey_round.round_questions.order_by("position")
    data = {"action": "send", f"q{places[0].question_id}": "3"}
    data[f"q{places[position - 1].question_id}"] = value

    response = client.post(url("surveys:answer", language, survey_round.link_token), data)

    assert response.status_code == 200
    params = {"count": 4000} if "%(count)d" in message else {}
    assert translated(message, language, **params) in page_text(response)
    assert not Response.objects.exists()
    assert not TextAnswer.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/enkater/a%00b/", "/enkater/a%00b/tack/", "/enkater/kod/?enkat=a%00b", "/enkater/%27%3B--/"],
)
def test_a_survey_address_with_a_nul_byte_or_sql_is_not_found_not_an_error(client, path):
    assert client.get(path).status_code in {200, 404}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_survey_code_with_a_nul_byte_is_refused_in_the_readers_language(client, tree, language):
    response = client.post(url("surveys:code", language), {"code": "ABC\x00DEF"})

    assert response.status_code == 200
    assert translated("Null characters are not allowed.", language) in page_text(response)


# --- The public statistics page and the open-data files ------------------------------


@pytest.fixture
def counted(tree):
    today = timezone.localdate()
    moment = timezone.now().replace(year=today.year - 1, month=3, day=10)
    make_case(unit=tree.gata, received_at=moment, at=moment)
    feedback_statistics_compute()


@BOUNDED
@given(
    query=st.dictionaries(
        st.sampled_from(["unit", "kind", "period", "sida", "utm_source"]), texts, max_size=4
    ),
    language=st.sampled_from(LANGUAGES),
)
def test_any_statistics_filter_shows_the_figures_or_a_400_with_a_message(
    client, counted, query, language
):
    response = client.get(url("public:feedback-statistics", language), query)

    assert response.status_code in {200, 400}
    if response.status_code == 400:
        message = translated("We could not show these statistics. Choose again below.", language)
        assert message in page_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query", [{"unit": SQL}, {"period": "2026-13"}, {"kind": MARKUP}, {"unit": "\x00"}]
)
def test_a_bad_statistics_filter_is_400_in_the_readers_language(client, counted, language, query):
    response = client.get(url("public:feedback-statistics", language), query)

    assert response.status_code == 400
    message = translated("We could not show these statistics. Choose again below.", language)
    assert message in page_text(response)
    assert MARKUP not in response.content.decode()


@settings(BOUNDED, max_examples=15)
@given(
    page=st.sampled_from(["public:compare", "public:overview", "cases:published"]),
    query=st.dictionaries(
        st.sampled_from(["kpi", "unit", "sida", "period", "q"]), texts, max_size=3
    ),
    language=st.sampled_from(LANGUAGES),
)
def test_the_other_public_pages_with_parameters_answer_any_of_them(
    client, counted, page, query, language
):
    response = client.get(url(page, language), query)

    assert response.status_code in {200, 400}
    assert f'<html lang="{language}">' in response.content.decode()


@BOUNDED
@given(query=st.dictionaries(st.text(min_size=1, max_size=10), texts, max_size=3))
def test_query_parameters_on_an_open_data_file_are_ignored(client, counted, query):
    plain = client.get("/oppna-data/synpunktsstatistik.json")

    response = client.get("/oppna-data/synpunktsstatistik.json", query)

    assert response.status_code == plain.status_code == 200
    strip = re.compile(rb'"generated_at": "[^"]*"')
    assert strip.sub(b"", response.content) == strip.sub(b"", plain.content)


# --- Open311 and the staff REST API --------------------------------------------------


def open311_descriptions(client, data: dict[str, str], language: str) -> list[str]:
    response = client.post("/open311/v2/requests.json", data | {"locale": language})
    assert response.status_code in {400, 404}  # 404: no such service, as the specification says
    return [error["description"] for error in parse_json(response)]


BAD_OPEN311 = [
    pytest.param({"description": ""}, id="missing"),
    pytest.param({"description": "Hej\x00då"}, id="nul"),
    pytest.param({"description": "x" * 20_000}, id="oversized"),
    pytest.param({"description": "Hål", "service_code": SQL}, id="sql"),
    pytest.param({"description": "Hål", "service_code": ["1", "2"]}, id="wrong-type"),
    pytest.param({"description": "Hål", "email": MARKUP}, id="markup-as-email"),
]


@pytest.mark.parametrize("changes", BAD_OPEN311)
def test_a_bad_open311_request_is_400_in_the_asked_language_and_stores_nothing(
    client, tree, changes
):
    service = make_service(unit=tree.gata)
    _key, raw = make_integrator_key()
    data = {"api_key": raw, "service_code": str(service.pk), "description": "Hål i gatan."}

    swedish = open311_descriptions(client, data | changes, "sv")
    english = open311_descriptions(client, data | changes, "en")

    assert swedish
    assert english
    assert swedish != english
    assert not Case.objects.exists()


OPEN311_FIELDS = [
    "service_code",
    "description",
    "lat",
    "long",
    "address_string",
    "email",
    "first_name",
    "last_name",
    "phone",
    "media_url",
    "locale",
    "attribute[x]",
]


@BOUNDED
@given(
    changes=st.dictionaries(
        st.sampled_from(OPEN311_FIELDS), st.one_of(texts, st.lists(texts, max_size=3)), max_size=5
    )
)
def test_open311_stores_a_case_exactly_when_it_answers_201(client, tree, changes):
    cache.clear()
    service = make_service(unit=tree.gata)
    _key, raw = make_integrator_key()
    before = Case.objects.count(), CaseEvent.objects.count()
    data = {"api_key": raw, "service_code": str(service.pk), "description": "Hål i gatan."}

    response = client.post("/open311/v2/requests.json", data | changes)

    assert response.status_code in {201, 400, 404}
    created = 1 if response.status_code == 201 else 0
    assert Case.objects.count() == before[0] + created
    if not created:
        assert CaseEvent.objects.count() == before[1]


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """Requests go to the real WSGI application, which closes "old" database connections
    at each request's start and end; inside the test's transaction that would close the
    test's own connection (on PostgreSQL). Django's test client holds the same back."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def row_counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
        OutgoingEmail.objects.count(),
    )


REST_WRITES = ["reply", "notes", "status", "assign", "move"]
SCHEMA_EXAMPLES = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("action", REST_WRITES)
def test_a_refused_rest_write_changes_nothing_whatever_schemathesis_sends(
    tree, settings, wsgi_in_test_transaction, action
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "100000/hour"},
    }
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    _key, raw = api_key_create(name="Fuzz", user=handler, by=None)
    case = make_case(unit=tree.gata, reporter_email="kim@example.org")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    operation = schema.find_operation_by_path("POST", f"/api/v1/cases/{{id}}/{action}/")
    assert operation is not None
    strategy = operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE, path_parameters={"id": case.pk}
    )

    @given(example=strategy)
    @SCHEMA_EXAMPLES
    def send(example: schemathesis.Case) -> None:
        cache.clear()
        before = row_counts()
        response = example.call(headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code < 500
        if response.status_code >= 400:
            assert row_counts() == before, response.text[:300]

    send()


@pytest.mark.parametrize(
    ("body", "english"),
    [
        pytest.param({"text": "Hej\x00då"}, "Null characters are not allowed.", id="nul"),
        pytest.param(
            {"text": "x" * 8001},
            "Ensure this field has no more than {max_length} characters.",  # DRF's own
            id="long",
        ),
        pytest.param(
            {"text": ["Hej"]},
            "Write this as text, not as a number, list or object.",
            id="wrong-type",
        ),
        pytest.param({}, "This field is required.", id="missing"),
    ],
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_bad_rest_reply_is_400_in_the_language_asked_for_and_stores_nothing(
    client, tree, body, english, language
):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    _key, raw = api_key_create(name="Test", user=handler, by=None)
    case = make_case(unit=tree.gata)
    events = CaseEvent.objects.count()

    response = client.post(
        f"/api/v1/cases/{case.pk}/reply/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Accept-Language": language},
    )

    assert response.status_code == 400
    with translation.override(language):
        expected = gettext(english).format(max_length=8000)
    assert response.json()["text"] == [expected]
    assert language == "en" or expected != english  # Swedish is a real translation
    assert CaseEvent.objects.count() == events


# --- The KPI import (staff) ----------------------------------------------------------


@pytest.fixture
def manual_indicator(tree):
    return Indicator.objects.create(
        unit=tree.gata,
        code="telefon-60",
        name_sv="Andel samtal besvarade inom 60 sekunder",
        name_en="Calls answered within 60 seconds",
        kind="reachability",
        definition_sv="Andel samtal besvarade inom 60 sekunder, per månad.",
        source="manual",
        unit_of_measure="percent",
        period_kind="month",
    )


def xlsx_bomb() -> bytes:
    """A workbook whose sheet unpacks to more than 30 MB: a few hundred KB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 40_000_000)
    return buffer.getvalue()


BAD_IMPORTS = [
    pytest.param(
        "figures.csv",
        b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
        "The file is neither a CSV file nor an Excel workbook (.xlsx). Save the figures "
        "from the program they come from as CSV or as an Excel workbook.",
        id="program",
    ),
    pytest.param(
        "figures.xlsx",
        xlsx_bomb(),
        "The workbook is too large when unpacked. Save fewer rows in it.",
        id="zip-bomb",
    ),
    pytest.param("figures.csv", b"   \n\n", "The file is empty.", id="empty"),
    pytest.param(
        "figures.csv",
        b"x" * 1_000_001,
        "The file is too large. It may be at most %(limit)s.",
        id="oversized",
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "content", "message"), BAD_IMPORTS)
def test_a_bad_kpi_file_is_400_in_the_readers_language_and_stores_nothing(
    client, tree, manual_indicator, language, name, content, message
):
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.gata))
    upload = SimpleUploadedFile(name, content)

    response = client.post(
        url("kpis:measurement-import", language, manual_indicator.pk), {"file": upload}
    )

    assert response.status_code == 400
    with translation.override(language):
        limit = filesizeformat(1_000_000)
    params = {"limit": limit} if "%(limit)s" in message else {}
    assert translated(message, language, **params) in page_text(response)
    assert not Measurement.objects.exists()


@settings(BOUNDED, max_examples=20)
@given(content=st.binary(min_size=1, max_size=3000))
def test_random_bytes_as_a_kpi_file_are_refused_or_previewed_never_stored(
    client, tree, manual_indicator, content
):
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.gata))

    response = client.post(
        url("kpis:measurement-import", "en", manual_indicator.pk),
        {"file": SimpleUploadedFile("figures.csv", content)},
    )

    assert response.status_code in {200, 400}
    assert not Measurement.objects.exists()

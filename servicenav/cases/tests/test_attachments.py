"""Attachments: pictures and PDF documents, checked by their content, limited in size and
number, stored under random names, and pictures without metadata such as the GPS position
where a photo was taken. A refused file makes no case."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from PIL import ExifTags, Image, PngImagePlugin

from servicenav.cases.attachments import attachment_store
from servicenav.cases.models import Attachment, Case
from servicenav.cases.services import case_submit

pytestmark = pytest.mark.django_db

SUBMIT = reverse("cases:submit")
GPS = ExifTags.IFD.GPSInfo


@pytest.fixture(autouse=True)
def _media_in_tmp_and_fresh_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def feedback(*files: SimpleUploadedFile, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "complaint",
        "unit": "",
        "text": "Här är en bild på hålet i gatan.",
        "contact": "anonymous",
        "submission_token": str(uuid.uuid4()),
        "attachments": list(files),
    }
    return data | changes


def photo(*, orientation: int | None = None, size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG as a phone makes it: with the camera and the GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Testkamera"
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (65.0, 35.0, 5.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (22.0, 9.0, 24.0),
    }
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def image_bytes(format: str, image: Image.Image | None = None, **options: object) -> bytes:
    buffer = io.BytesIO()
    (image or Image.new("RGB", (30, 30), (0, 90, 160))).save(buffer, format, **options)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as stored:
        return stored.read()


def test_a_photo_is_stored_without_its_exif_and_gps_position(client, tree):
    original = photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test's premise
    response = client.post(SUBMIT, feedback(upload("IMG_0001.jpg", original)))
    assert response.status_code == 302
    attachment = Case.objects.get().attachments.get()
    content = stored_bytes(attachment)
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in content
    assert b"Testkamera" not in content
    assert (attachment.content_type, attachment.extension) == ("image/jpeg", ".jpg")
    assert attachment.size == len(content)


def test_a_photo_taken_sideways_is_stored_upright(client, tree):
    client.post(SUBMIT, feedback(upload("sideways.jpg", photo(orientation=6))))
    stored = Image.open(io.BytesIO(stored_bytes(Case.objects.get().attachments.get())))
    assert stored.size == (20, 40)


def test_a_png_is_stored_without_its_text_chunks(client, tree):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Kim Berg")
    original = image_bytes("PNG", pnginfo=info)
    assert b"Kim Berg" in original
    client.post(SUBMIT, feedback(upload("karta.png", original, "image/png")))
    content = stored_bytes(Case.objects.get().attachments.get())
    assert content.startswith(b"\x89PNG")
    assert b"Kim Berg" not in content


def test_a_webp_picture_with_transparency_is_accepted(client, tree):
    original = image_bytes("WEBP", Image.new("RGBA", (10, 10), (0, 0, 0, 0)))
    client.post(SUBMIT, feedback(upload("bild.webp", original, "image/webp")))
    attachment = Case.objects.get().attachments.get()
    assert attachment.content_type == "image/webp"
    assert Image.open(attachment.file.path).mode == "RGBA"


def test_files_are_stored_under_random_names_not_the_senders(client, tree):
    client.post(SUBMIT, feedback(upload("kim-berg-hemma.jpg", photo())))
    attachment = Case.objects.get().attachments.get()
    assert "kim-berg" not in attachment.file.name
    assert attachment.token in attachment.file.name


def test_a_text_file_named_jpg_is_refused_with_a_message_and_no_case_is_made(client, tree):
    fake = upload("semester.jpg", b"This is plain text, not a picture.\n" * 20)
    response = client.post("/en" + SUBMIT, feedback(fake))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_attachments_error"' in content
    assert "semester.jpg" in content
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()


def test_a_gif_is_not_among_the_accepted_pictures(client, tree):
    client.post(SUBMIT, feedback(upload("anim.gif", image_bytes("GIF"), "image/gif")))
    assert not Case.objects.exists()


def test_a_broken_picture_is_refused(client, tree):
    original = photo(size=(400, 400))
    client.post(SUBMIT, feedback(upload("trasig.jpg", original[: len(original) // 2])))
    assert not Case.objects.exists()


def test_an_oversized_file_is_refused_and_no_case_is_made(client, tree, settings):
    noise = Image.effect_noise((200, 200), 80).convert("RGB")
    big = image_bytes("JPEG", noise, quality=95)
    settings.SERVICENAV_ATTACHMENT_MAX_BYTES = len(big) - 1
    response = client.post("/en" + SUBMIT, feedback(upload("stor.jpg", big)))
    assert "is too large" in response.content.decode()
    assert not Case.objects.exists()


def test_more_files_than_allowed_are_refused(client, tree, settings):
    settings.SERVICENAV_ATTACHMENTS_PER_CASE = 2
    files = [upload(f"bild{number}.jpg", photo()) for number in range(3)]
    response = client.post("/en" + SUBMIT, feedback(*files))
    assert "You can attach at most 2 files." in response.content.decode()
    assert not Case.objects.exists()


def test_a_small_pdf_is_accepted(client, tree):
    document = image_bytes("PDF")
    assert document.startswith(b"%PDF-")
    client.post(SUBMIT, feedback(upload("brev.pdf", document, "application/pdf")))
    attachment = Case.objects.get().attachments.get()
    assert (attachment.content_type, attachment.extension) == ("application/pdf", ".pdf")
    assert stored_bytes(attachment) == document


def test_a_pdf_with_javascript_is_refused(client, tree):
    document = image_bytes("PDF").replace(b"%%EOF", b"/JavaScript (app.alert(1))\n%%EOF")
    client.post(SUBMIT, feedback(upload("brev.pdf", document, "application/pdf")))
    assert not Case.objects.exists()


def test_several_files_are_stored_with_one_case(client, tree):
    files = [upload("a.jpg", photo()), upload("b.pdf", image_bytes("PDF"), "application/pdf")]
    client.post(SUBMIT, feedback(*files))
    case = Case.objects.get()
    assert sorted(case.attachments.values_list("extension", flat=True)) == [".jpg", ".pdf"]


def test_a_double_submit_stores_the_files_once(client, tree):
    data = feedback(upload("a.jpg", photo()))
    client.post(SUBMIT, data)
    data["attachments"] = [upload("a.jpg", photo())]
    client.post(SUBMIT, data)
    assert Case.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_the_case_page_tells_of_attachments_but_does_not_link_to_them(client, tree):
    client.post("/en" + SUBMIT, feedback(upload("a.jpg", photo())))
    case = Case.objects.get()
    with override("en"):
        page = client.get(reverse("cases:public-case", args=[case.reference])).content.decode()
    assert "You attached 1 file." in page
    assert case.attachments.get().token not in page


def test_storing_an_unchecked_upload_checks_it_first(tree):
    case, _code = case_submit(kind="complaint", text="Se bilaga.")
    stored = attachment_store(case=case, upload=upload("karta.jpg", photo()))
    assert b"Exif" not in stored_bytes(stored)
    with pytest.raises(ValidationError):
        attachment_store(case=case, upload=upload("virus.jpg", b"MZ\x90\x00 not a picture"))
    assert case.attachments.count() == 1

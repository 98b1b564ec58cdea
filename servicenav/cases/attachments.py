"""Pictures and PDF documents sent with feedback.

The type is decided by the content, never by the file name or the browser's claim.
Pictures are decoded and drawn again into a new file, so that only the pixels survive:
no EXIF (GPS position, camera, time taken), no comments, no embedded thumbnails. A PDF
must start and end like one and carry no scripts or embedded files. Stored files get
random names (`attachment_path`): the citizen's file name may itself be personal data.

`attachment_prepare` checks and cleans an upload (forms call it, so that a bad file is a
message on the form); `attachment_store` saves a prepared file for a case, inside the
transaction that creates the case.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from servicenav.cases.models import Attachment, Case

if TYPE_CHECKING:
    from collections.abc import Iterator

# Larger pictures than this are refused before they are decoded (a decompression bomb
# is a small file that unpacks into gigabytes).
MAX_PIXELS = 50_000_000
PDF_TAIL = 2048
PDF_ACTIVE_CONTENT = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|XFA|RichMedia)(?![A-Za-z0-9])"
)
# A name may spell any of its letters as #xx ("/J#61vaScript" is "/JavaScript").
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# An object stream holds dictionaries compressed, where a script could hide; streams are
# unpacked and searched too, up to this much in all (a small file may unpack into a lot).
PDF_MAX_UNPACKED = 100 * 2**20


@dataclass(frozen=True)
class PreparedUpload:
    """A checked file, cleaned of metadata, ready to store."""

    content: bytes
    extension: str
    content_type: str


@dataclass(frozen=True)
class _ImageType:
    extension: str
    content_type: str
    save_as: str


_IMAGE_TYPES = {
    "JPEG": _ImageType(".jpg", "image/jpeg", "JPEG"),
    "PNG": _ImageType(".png", "image/png", "PNG"),
    "WEBP": _ImageType(".webp", "image/webp", "WEBP"),
    # Only when a Pillow plugin (pillow-heif) can read it; stored as JPEG, which every
    # browser shows.
    "HEIF": _ImageType(".jpg", "image/jpeg", "JPEG"),
}


def image_formats() -> list[str]:
    """The picture formats accepted here: those Pillow can open in this installation."""
    Image.init()
    return [name for name in _IMAGE_TYPES if name in Image.OPEN]


def accept_attribute() -> str:
    """A hint for the browser's file picker; the server decides by content."""
    types = ["image/jpeg", "image/png", "image/webp", "application/pdf"]
    if "HEIF" in image_formats():
        types += ["image/heic", "image/heif", ".heic", ".heif"]
    return ",".join(types)


def _refused(upload: UploadedFile) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a picture (JPEG, PNG or WebP) or a PDF document that we can accept."),
        code="invalid_type",
        params={"name": upload.name},
    )


def attachment_prepare(upload: UploadedFile) -> PreparedUpload:
    """Check `upload` by its content and return it cleaned, or raise ValidationError."""
    limit = settings.SERVICENAV_ATTACHMENT_MAX_BYTES
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is too large. Each file may be at most %(limit)s."),
            code="too_large",
            params={"name": upload.name, "limit": filesizeformat(limit)},
        )
    if data.startswith(b"%PDF-"):
        return _prepare_pdf(upload, data)
    return _prepare_image(upload, data)


def _prepare_pdf(upload: UploadedFile, data: bytes) -> PreparedUpload:
    if b"%%EOF" not in data[-PDF_TAIL:]:
        raise _refused(upload)
    if any(PDF_ACTIVE_CONTENT.search(part) for part in _pdf_dictionaries(upload, data)):
        raise ValidationError(
            _("“%(name)s” contains scripts or embedded files. Send a plain PDF or a picture."),
            code="active_content",
            params={"name": upload.name},
        )
    return PreparedUpload(content=data, extension=".pdf", content_type="application/pdf")


def _pdf_names(data: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), data)


def _pdf_dictionaries(upload: UploadedFile, data: bytes) -> list[bytes]:
    """Where a PDF's dictionaries are, names unescaped: the file itself and, when it has
    object streams, every stream that unpacks (the stream's own dictionary may be written
    to mislead, so none is trusted to say which stream is which)."""
    plain = _pdf_names(data)
    parts, budget = [plain], PDF_MAX_UNPACKED
    if b"/ObjStm" not in plain:
        return parts
    for match in PDF_STREAM.finditer(data):
        try:
            unpacked = zlib.decompressobj().decompress(data[match.end() :], budget + 1)
        except zlib.error:
            continue  # not Flate: a picture, or text already searched
        budget -= len(unpacked)
        if budget < 0:
            raise _refused(upload)
        parts.append(_pdf_names(unpacked))
    return parts


def _prepare_image(upload: UploadedFile, data: bytes) -> PreparedUpload:
    formats = image_formats()
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as probe:
                kind = _IMAGE_TYPES[str(probe.format)]
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refused(upload)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=formats) as image:
                clean = _pixels_only(ImageOps.exif_transpose(image), kind.save_as)
        output = io.BytesIO()
        clean.save(output, kind.save_as, **_save_options(kind.save_as))
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        KeyError,
        EOFError,
    ) as error:
        raise _refused(upload) from error
    return PreparedUpload(
        content=output.getvalue(), extension=kind.extension, content_type=kind.content_type
    )


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """WeasyPrint, once imported (for a report's PDF), lets Pillow load truncated images
    in the whole process; a broken upload must still be refused."""
    allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _pixels_only(image: Image.Image, save_as: str) -> Image.Image:
    """A new image with the same pixels and nothing else: no EXIF, XMP, ICC, comments."""
    keeps_alpha = save_as != "JPEG" and (
        image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    )
    mode = "RGBA" if keeps_alpha else ("L" if image.mode in ("1", "L") else "RGB")
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _save_options(save_as: str) -> dict[str, object]:
    if save_as in ("JPEG", "WEBP"):
        return {"quality": 90}
    return {}


def attachment_store(*, case: Case, upload: PreparedUpload | UploadedFile) -> Attachment:
    """Save one file for `case` under a random name. Call it inside the transaction that
    creates or changes the case; an unchecked upload is checked here first."""
    prepared = upload if isinstance(upload, PreparedUpload) else attachment_prepare(upload)
    attachment = Attachment(
        case=case,
        token=secrets.token_hex(16),
        extension=prepared.extension,
        content_type=prepared.content_type,
        size=len(prepared.content),
    )
    attachment.file.save(f"upload{prepared.extension}", ContentFile(prepared.content), save=False)
    attachment.save()
    return attachment

"""Evidence photos: sniffed by content with the catalog's image check (JPEG, PNG or WebP,
size and pixel caps, decompression bombs refused), re-encoded without metadata under a
random name. Checked before any row is written; stored files are removed again if the
request's transaction fails."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import ImageOps

from tradelane.catalog.services.images import FORMATS, MAX_BYTES, sniff
from tradelane.core.errors import DomainError, InvalidInput

MAX_PHOTOS = 5
MAX_SIDE = 2000  # stored photos are scaled down to this


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    ext: str
    width: int
    height: int


def prepare(files: list[bytes]) -> list[Photo]:
    """Check and re-encode each upload; errors name `evidence[i]`."""
    if len(files) > MAX_PHOTOS:
        raise InvalidInput(
            f"At most {MAX_PHOTOS} photos a request.", field="evidence", code="too_many_files"
        )
    photos = []
    for index, data in enumerate(files):
        if data is not None and len(data) > MAX_BYTES:
            raise InvalidInput(
                f"Photos are at most {MAX_BYTES // 1024 // 1024} MB.",
                field=f"evidence[{index}]",
                code="file_too_large",
            )
        try:
            image, fmt = sniff(data or b"")
        except DomainError as error:
            raise InvalidInput(error.message, field=f"evidence[{index}]", code=error.code) from None
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if fmt == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        elif fmt == "PNG":
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "WEBP", quality=85)
        content_type, ext = FORMATS[fmt]
        photos.append(Photo(out.getvalue(), content_type, ext, image.width, image.height))
    return photos


def store(photos: list[Photo]) -> list[str]:
    """Write the files; return their storage names (the caller deletes them on failure)."""
    day = timezone.now()
    names = []
    try:
        for photo in photos:
            name = f"returns/evidence/{day:%Y/%m}/{uuid.uuid4().hex}.{photo.ext}"
            names.append(default_storage.save(name, ContentFile(photo.data)))
    except BaseException:
        discard(names)
        raise
    return names


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

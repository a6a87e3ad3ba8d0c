"""Product images: the type is sniffed from the bytes (Pillow), the size and pixel count
are capped, the image is re-encoded (dropping metadata and anything smuggled after the
image data) under a random name, and a thumbnail is made."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput

from ..models import ProductImage
from .products import lock_product

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 8000
MAX_IMAGES = 12
THUMB_SIDE = 320
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def _not_an_image() -> InvalidInput:
    return InvalidInput(
        "The file is not a JPEG, PNG or WebP image.", field="image", code="not_an_image"
    )


def sniff(data: bytes) -> tuple[Image.Image, str]:
    """Open and fully decode the image; refuse anything that is not JPEG/PNG/WebP, too
    big, or a decompression bomb."""
    if not data:
        raise _not_an_image()
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"Images are at most {MAX_BYTES // 1024 // 1024} MB.",
            field="image",
            code="file_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in FORMATS:
                raise _not_an_image()
            width, height = probe.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise InvalidInput(
                    f"Images are at most {MAX_SIDE}×{MAX_SIDE} pixels.",
                    field="image",
                    code="image_too_large",
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _not_an_image() from None
    return image, fmt


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=88)
    return out.getvalue()


def add_image(*, actor: Actor, product_id: int, data: bytes | None) -> ProductImage:
    """Add an image to one of the merchant's products (locks the product). 404 for another
    merchant's product; 422 `not_an_image`, `file_too_large`, `image_too_large`,
    `too_many_images`. Files are written before the row; removed again if the row fails."""
    with transaction.atomic():
        product = lock_product(actor, product_id)
        if data is None:
            raise InvalidInput("Attach an image file.", field="image", code="required")
        count = product.images.count()
        if count >= MAX_IMAGES:
            raise InvalidInput(
                f"At most {MAX_IMAGES} images a product.", field="image", code="too_many_images"
            )
        image, fmt = sniff(data)
        image = ImageOps.exif_transpose(image)
        content_type, ext = FORMATS[fmt]
        full = _encode(image, fmt)
        thumb = image.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumb_bytes = _encode(thumb, fmt)
        day = timezone.now()
        name = uuid.uuid4().hex
        saved = []
        try:
            saved.append(
                default_storage.save(f"catalog/images/{day:%Y/%m}/{name}.{ext}", ContentFile(full))
            )
            saved.append(
                default_storage.save(
                    f"catalog/thumbs/{day:%Y/%m}/{name}.{ext}", ContentFile(thumb_bytes)
                )
            )
            return ProductImage.objects.create(
                product=product,
                image=saved[0],
                thumbnail=saved[1],
                content_type=content_type,
                width=image.width,
                height=image.height,
                size_bytes=len(full),
                position=count,
            )
        except BaseException:
            for path in saved:
                default_storage.delete(path)
            raise

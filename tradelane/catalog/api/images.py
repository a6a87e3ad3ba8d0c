"""Product images."""

from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, RowId

from .. import services
from ..models import ProductImage
from ..services.images import MAX_BYTES

router = Router(tags=["catalog: products"])
IMAGE_FILE = File(None, description="JPEG, PNG or WebP, at most 5 MB")


class ImageOut(Schema):
    id: int
    product_id: int
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int
    size_bytes: int

    @staticmethod
    def of(image: ProductImage) -> dict:
        return {
            "id": image.pk,
            "product_id": image.product_id,
            "url": reverse("catalog:image", args=[image.pk]),
            "thumbnail_url": reverse("catalog:thumbnail", args=[image.pk]),
            "content_type": image.content_type,
            "width": image.width,
            "height": image.height,
            "size_bytes": image.size_bytes,
        }


@router.post(
    "/merchant/products/{product_id}/images",
    response={201: ImageOut, **ERRORS},
    summary="Add an image to a product",
)
@allow(MERCHANT_MEMBER)
def add_image(request, product_id: int = RowId, image: UploadedFile = IMAGE_FILE):
    """The type is read from the bytes, not the name: anything but JPEG, PNG or WebP is
    422 `not_an_image`. The image is re-encoded and a thumbnail made."""
    data = None
    if image is not None:
        data = image.read(MAX_BYTES + 1)
    created = services.add_image(actor=current_actor(request), product_id=product_id, data=data)
    return Status(201, ImageOut.of(created))

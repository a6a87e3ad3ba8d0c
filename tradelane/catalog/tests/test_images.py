"""Product images: type sniffed from the bytes, size capped, re-encoded, thumbnails."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tradelane.catalog.models import ProductImage
from tradelane.catalog.testing import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width=800, height=600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(client, product_id, data, name="photo.png", content_type="image/png"):
    return client.client.post(
        f"/api/v1/merchant/products/{product_id}/images",
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        **client._headers(None),
    )


def test_png_is_stored_re_encoded_with_a_thumbnail(
    api, page_client, merchant_owner, buyer_owner, media
):
    product = make_product(merchant_owner)
    response = upload(api(merchant_owner), product.pk, png() + b"<script>alert(1)</script>")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["width"], body["height"]) == ("image/png", 800, 600)
    image = ProductImage.objects.get()
    assert image.image.name.endswith(".png") and "photo" not in image.image.name
    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.size == (320, 240)
    assert b"<script>" not in Path(image.image.path).read_bytes()
    viewer = page_client(buyer_owner)
    served = viewer.get(body["thumbnail_url"])
    assert served.status_code == 200
    assert (served["Content-Type"], served["X-Content-Type-Options"]) == ("image/png", "nosniff")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"%PDF-1.7 not an image", "photo.png"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif"),
        (png()[:100], "truncated.png"),
        (b"", "empty.png"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(api, merchant_owner, media, data, name):
    product = make_product(merchant_owner)
    response = upload(api(merchant_owner), product.pk, data, name=name)
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["code"]) == ("image", "not_an_image")
    assert ProductImage.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_oversized_images_are_refused(api, merchant_owner, media):
    product = make_product(merchant_owner)
    client = api(merchant_owner)
    response = upload(client, product.pk, png(9000, 10))
    assert (response.status_code, response.json()["code"]) == (422, "image_too_large")
    response = upload(client, product.pk, b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10))
    assert (response.status_code, response.json()["code"]) == (422, "file_too_large")
    assert ProductImage.objects.count() == 0


def test_another_merchants_product_image_upload_is_404(api, merchant_owner, other_merchant):
    product = make_product(merchant_owner)
    response = upload(api(other_merchant), product.pk, png())
    assert response.status_code == 404
    assert ProductImage.objects.count() == 0


def test_image_upload_on_the_product_page(page_client, merchant_owner, media):
    product = make_product(merchant_owner)
    client = page_client(merchant_owner)
    response = client.post(
        f"/merchant/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("x.png", b"not an image")},
        follow=True,
    )
    assert "not a JPEG, PNG or WebP image" in response.content.decode()
    response = client.post(
        f"/merchant/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("x.png", png())},
        follow=True,
    )
    assert "data-image=" in response.content.decode()

"""Product images: upload checks, re-encoding, the public versioned URL, replacing and removing."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from tests.local_backend.menu.conftest import audit_events


def encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kw)
    return buf.getvalue()


def rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG file that claims huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.fixture
def product(create_product):
    return create_product("Souvlaki")


@pytest.fixture
def upload(client, manager_headers, product):
    def _upload(data: bytes, filename: str = "photo.png", content_type: str = "image/png", headers=None):
        return client.post(
            f"/api/products/{product['id']}/image",
            files={"file": (filename, data, content_type)},
            headers=headers or manager_headers,
        )

    return _upload


@pytest.fixture
def image_dir(settings):
    return settings.media_dir / "products"


class TestUploading:
    def test_a_png_is_stored_as_a_smaller_jpeg_served_publicly(self, client, upload, image_dir, product):
        resp = upload(encode(Image.new("RGB", (1600, 1200), (200, 30, 30)), "PNG"))
        assert resp.status_code == 200, resp.text
        url = resp.json()["image_url"]
        assert url.startswith(f"/api/products/{product['id']}/image?v=")

        served = client.get(url)  # no Authorization header: guests' phones load it
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/jpeg"
        assert "immutable" in served.headers["cache-control"]
        image = Image.open(io.BytesIO(served.content))
        assert image.format == "JPEG"
        assert image.size == (800, 600)
        red, green, blue = rgb(image, (400, 300))
        assert red > 180
        assert max(green, blue) < 60
        stored = list(image_dir.iterdir())
        assert len(stored) == 1
        assert stored[0].read_bytes() == served.content

    @pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
    def test_jpeg_and_webp_are_accepted_too(self, client, upload, fmt, mime):
        resp = upload(encode(Image.new("RGB", (300, 200), (0, 0, 255)), fmt), f"photo.{fmt.lower()}", mime)
        assert resp.status_code == 200, resp.text
        served = client.get(resp.json()["image_url"])
        assert Image.open(io.BytesIO(served.content)).size == (300, 200)  # small images are not enlarged

    def test_the_image_is_stripped_of_exif_and_turned_upright(self, client, upload):
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        exif[0x0112] = 6  # Orientation: the camera was turned, the picture must be rotated 90°
        data = encode(Image.new("RGB", (400, 200), (0, 128, 0)), "JPEG", exif=exif.tobytes())
        assert b"SpyCam" in data
        resp = upload(data, "photo.jpg", "image/jpeg")
        assert resp.status_code == 200, resp.text
        served = client.get(resp.json()["image_url"]).content
        assert b"SpyCam" not in served
        image = Image.open(io.BytesIO(served))
        assert dict(image.getexif()) == {}
        assert image.size == (200, 400)

    def test_transparency_becomes_white_not_black(self, client, upload):
        resp = upload(encode(Image.new("RGBA", (100, 100), (0, 0, 0, 0)), "PNG"))
        served = Image.open(io.BytesIO(client.get(resp.json()["image_url"]).content))
        assert min(rgb(served, (50, 50))) > 240

    def test_an_upload_is_audited(self, client, manager_headers, upload, product):
        upload(encode(Image.new("RGB", (10, 10)), "PNG"))
        (event,) = audit_events(client, manager_headers, "menu.image_changed")
        assert event["entity_id"] == product["id"]
        assert event["actor_name"] is not None

    def test_the_menu_lists_the_image_url(self, client, manager_headers, upload):
        url = upload(encode(Image.new("RGB", (10, 10)), "PNG")).json()["image_url"]
        (listed,) = client.get("/api/products/", headers=manager_headers).json()
        assert listed["image_url"] == url


class TestRefusedUploads:
    def test_an_image_over_the_size_limit_is_413(self, client, upload, settings, image_dir, product, manager_headers):
        noise = Image.frombytes("RGB", (1100, 1000), os.urandom(1100 * 1000 * 3))
        data = encode(noise, "PNG")
        assert len(data) > settings.max_image_bytes
        resp = upload(data)
        assert resp.status_code == 413
        assert resp.json()["code"] == "IMAGE_TOO_LARGE"
        assert not image_dir.exists() or list(image_dir.iterdir()) == []
        assert client.get(f"/api/products/{product['id']}", headers=manager_headers).json()["image_url"] is None

    def test_a_text_file_named_png_is_415(self, upload, image_dir):
        resp = upload(b"definitely not a picture\n" * 10, "menu.png", "image/png")
        assert resp.status_code == 415
        assert resp.json()["code"] == "IMAGE_TYPE_UNSUPPORTED"
        assert not image_dir.exists() or list(image_dir.iterdir()) == []

    def test_a_format_pillow_reads_but_we_do_not_take_is_415(self, upload):
        resp = upload(encode(Image.new("RGB", (50, 50)), "GIF"), "anim.gif", "image/gif")
        assert resp.status_code == 415
        assert resp.json()["code"] == "IMAGE_TYPE_UNSUPPORTED"

    def test_a_truncated_png_is_415(self, upload):
        data = encode(Image.new("RGB", (400, 400), (1, 2, 3)), "PNG", compress_level=0)
        resp = upload(data[: len(data) // 2])
        assert resp.status_code == 415

    @pytest.mark.parametrize("side", [5000, 20000])
    def test_a_decompression_bomb_is_refused_before_decoding(self, upload, side):
        resp = upload(png_header_only(side, side))
        assert resp.status_code == 413
        assert resp.json()["code"] == "IMAGE_TOO_LARGE"

    def test_a_waiter_cannot_upload(self, upload, waiter_headers):
        resp = upload(encode(Image.new("RGB", (10, 10)), "PNG"), headers=waiter_headers())
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    def test_an_unknown_product_is_404(self, client, manager_headers):
        data = encode(Image.new("RGB", (10, 10)), "PNG")
        resp = client.post("/api/products/777/image", files={"file": ("a.png", data)}, headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "PRODUCT_NOT_FOUND"


class TestReplacingAndRemoving:
    def test_a_new_upload_gets_a_new_url_and_the_old_file_goes(self, client, upload, image_dir):
        first = upload(encode(Image.new("RGB", (20, 20), (255, 0, 0)), "PNG")).json()["image_url"]
        second = upload(encode(Image.new("RGB", (20, 20), (0, 0, 255)), "PNG")).json()["image_url"]
        assert first != second
        assert len(list(image_dir.iterdir())) == 1
        image = Image.open(io.BytesIO(client.get(second).content))
        assert rgb(image, (10, 10))[2] > 200
        # The old URL shows the current picture, but must not be cached forever under that name.
        stale = client.get(first)
        assert stale.status_code == 200
        assert stale.headers["cache-control"] == "no-cache"

    def test_a_removed_image_is_404_and_its_file_is_deleted(self, client, manager_headers, upload, image_dir, product):
        url = upload(encode(Image.new("RGB", (20, 20)), "PNG")).json()["image_url"]
        resp = client.delete(f"/api/products/{product['id']}/image", headers=manager_headers)
        assert resp.status_code == 204
        missing = client.get(url)
        assert missing.status_code == 404
        assert missing.json()["code"] == "IMAGE_NOT_FOUND"
        assert list(image_dir.iterdir()) == []
        assert client.get(f"/api/products/{product['id']}", headers=manager_headers).json()["image_url"] is None
        events = audit_events(client, manager_headers, "menu.image_changed")
        assert [e["data"].get("removed") for e in events] == [True, None]

    def test_a_waiter_cannot_remove_an_image(self, client, waiter_headers, product):
        resp = client.delete(f"/api/products/{product['id']}/image", headers=waiter_headers())
        assert resp.status_code == 403


class TestServing:
    def test_a_product_without_image_is_404_image_not_found(self, client, product):
        resp = client.get(f"/api/products/{product['id']}/image")
        assert resp.status_code == 404
        assert resp.json()["code"] == "IMAGE_NOT_FOUND"

    def test_an_unknown_product_is_404(self, client):
        resp = client.get("/api/products/999/image")
        assert resp.status_code == 404
        assert resp.json()["code"] == "PRODUCT_NOT_FOUND"

    def test_a_cached_copy_is_revalidated_with_its_etag(self, client, upload):
        url = upload(encode(Image.new("RGB", (20, 20)), "PNG")).json()["image_url"]
        etag = client.get(url).headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""

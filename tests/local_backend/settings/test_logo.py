"""The receipt logo: uploaded by a manager, stored ready for thermal paper, served back, removed."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from tests.conftest import login


def encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def drawing(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, "white" if mode == "RGB" else (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((size[0] // 10, size[1] // 10, size[0] * 9 // 10, size[1] * 9 // 10), fill="black")
    return image


def upload(client, headers, data: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return client.put("/api/settings/logo", files={"file": (name, data, content_type)}, headers=headers)


def stored(client) -> Image.Image:
    resp = client.get("/api/settings/logo")
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(resp.content))
    image.load()
    return image


def refused(resp, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code, resp.text


class TestUploading:
    def test_a_png_with_transparency_is_stored_one_bit_on_white_and_the_settings_say_when(
        self, client, manager_headers
    ):
        resp = upload(client, manager_headers, encode(drawing((400, 200), "RGBA"), "PNG"))
        assert resp.status_code == 200, resp.text
        assert resp.json()["logo_updated_at"] is not None
        assert client.get("/api/settings", headers=manager_headers).json()["logo_updated_at"] is not None
        image = stored(client)
        assert (image.mode, image.size) == ("1", (400, 200))
        # Transparent corners are paper (white), the drawing is ink (black).
        assert (image.getpixel((2, 2)), image.getpixel((200, 100))) == (255, 0)

    @pytest.mark.parametrize(("size", "fitted"), [((1200, 300), (576, 144)), ((300, 900), (80, 240))])
    def test_a_big_logo_is_fitted_to_the_paper_and_a_small_one_is_not_enlarged(
        self, client, manager_headers, size, fitted
    ):
        assert upload(client, manager_headers, encode(drawing(size), "JPEG"), "l.jpg", "image/jpeg").status_code == 200
        assert stored(client).size == fitted
        assert (
            upload(client, manager_headers, encode(drawing((64, 32)), "WEBP"), "l.webp", "image/webp").status_code
            == 200
        )
        assert stored(client).size == (64, 32)

    def test_a_new_logo_replaces_the_file_of_the_old_one(self, client, manager_headers, settings):
        upload(client, manager_headers, encode(drawing((100, 50)), "PNG"))
        first = client.get("/api/settings/logo").headers["etag"]
        upload(client, manager_headers, encode(drawing((120, 60)), "PNG"))
        assert client.get("/api/settings/logo").headers["etag"] != first
        assert len(list((settings.media_dir / "logo").glob("*.png"))) == 1
        assert (
            client.get(
                "/api/settings/logo", headers={"If-None-Match": client.get("/api/settings/logo").headers["etag"]}
            ).status_code
            == 304
        )

    def test_the_change_is_audited(self, client, manager_headers):
        upload(client, manager_headers, encode(drawing((100, 50)), "PNG"))
        events = client.get("/api/audit/", params={"action": "settings.logo_changed"}, headers=manager_headers).json()
        assert any(e["action"] == "settings.logo_changed" and e["data"].get("width") == 100 for e in events)


class TestRefusals:
    def test_a_waiter_may_not_change_it_but_anyone_may_see_it(self, client, manager_headers, make_user):
        make_user("maria")
        maria = login(client, "maria", "1234")
        refused(upload(client, maria, encode(drawing((10, 10)), "PNG")), 403, "MANAGER_REQUIRED")
        refused(client.delete("/api/settings/logo", headers=maria), 403, "MANAGER_REQUIRED")
        assert upload(client, manager_headers, encode(drawing((10, 10)), "PNG")).status_code == 200
        assert client.get("/api/settings/logo").status_code == 200  # printed on every bill: not a secret

    @pytest.mark.parametrize(
        "data",
        [b"not an image at all", encode(drawing((20, 20)), "GIF"), encode(drawing((20, 20)), "PNG")[:60]],
        ids=["text", "gif", "truncated"],
    )
    def test_what_pillow_cannot_decode_as_png_jpeg_or_webp_is_422(self, client, manager_headers, data):
        refused(upload(client, manager_headers, data), 422, "LOGO_INVALID")
        refused(client.get("/api/settings/logo"), 404, "LOGO_NOT_SET")

    def test_more_than_2_mb_is_413(self, client, manager_headers):
        refused(upload(client, manager_headers, b"\x89PNG" + b"\0" * (2 * 1024 * 1024)), 413, "LOGO_TOO_LARGE")

    def test_a_decompression_bomb_is_refused_from_its_header(self, client, manager_headers):
        from tests.local_backend.menu.test_images import png_header_only

        refused(upload(client, manager_headers, png_header_only(20_000, 20_000)), 413, "LOGO_TOO_LARGE")


class TestRemoving:
    def test_after_removal_there_is_no_logo_and_no_file(self, client, manager_headers, settings):
        upload(client, manager_headers, encode(drawing((100, 50)), "PNG"))
        assert client.delete("/api/settings/logo", headers=manager_headers).status_code == 204
        refused(client.get("/api/settings/logo"), 404, "LOGO_NOT_SET")
        assert client.get("/api/settings", headers=manager_headers).json()["logo_updated_at"] is None
        assert list((settings.media_dir / "logo").glob("*.png")) == []
        assert client.delete("/api/settings/logo", headers=manager_headers).status_code == 204  # nothing to remove

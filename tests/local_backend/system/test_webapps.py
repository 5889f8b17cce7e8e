"""The appliance serves the built apps (the waiter app at `/`, the kitchen display at `/kitchen/`): cache headers by
file kind, client routes within each app, and the API kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from local_backend.app import create_app
from local_backend.system.webapps import IMMUTABLE, REVALIDATE
from tests.conftest import make_settings

INDEX = '<!doctype html><html><head><link rel="manifest" href="/manifest.webmanifest"></head><body>waiter app</body>'
ASSET = "console.log('app');"
SERVICE_WORKER = "self.addEventListener('fetch', () => {});"
MANIFEST = '{"name": "Tavolo", "start_url": "/"}'
KITCHEN_INDEX = '<!doctype html><html><head><script src="/kitchen/assets/kds-def456.js"></script></head>kitchen app'
KITCHEN_ASSET = "console.log('kitchen');"
KITCHEN_MANIFEST = '{"name": "Tavolo Kitchen", "start_url": "/kitchen/"}'


def build_waiter(web_dir: Path) -> None:
    """A small stand-in for `npm run build`: the files Vite and the PWA plugin write into dist/waiter/."""
    waiter = web_dir / "waiter"
    (waiter / "assets").mkdir(parents=True)
    (waiter / "index.html").write_text(INDEX)
    (waiter / "assets" / "app-abc123.js").write_text(ASSET)
    (waiter / "sw.js").write_text(SERVICE_WORKER)
    (waiter / "manifest.webmanifest").write_text(MANIFEST)


def build_kitchen(web_dir: Path) -> None:
    """What Vite writes into dist/kitchen/ (no service worker: the wall screen is always on the LAN)."""
    kitchen = web_dir / "kitchen"
    (kitchen / "assets").mkdir(parents=True)
    (kitchen / "index.html").write_text(KITCHEN_INDEX)
    (kitchen / "assets" / "kds-def456.js").write_text(KITCHEN_ASSET)
    (kitchen / "manifest.webmanifest").write_text(KITCHEN_MANIFEST)


def build_app(web_dir: Path) -> Path:
    """Every app built, as `make web-build` leaves frontends/dist/."""
    build_waiter(web_dir)
    build_kitchen(web_dir)
    return web_dir


def client_for(tmp_path: Path, web_dir: Path) -> TestClient:
    return TestClient(create_app(make_settings(tmp_path, web_dir=web_dir)))


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    with client_for(tmp_path, build_app(tmp_path / "web")) as client:
        yield client


def is_index(resp_text: str) -> bool:
    return "waiter app" in resp_text


def is_kitchen_index(resp_text: str) -> bool:
    return "kitchen app" in resp_text


class TestCacheHeaders:
    def test_the_app_page_is_revalidated_on_every_load(self, web: TestClient) -> None:
        resp = web.get("/")
        assert resp.status_code == 200
        assert is_index(resp.text)
        assert resp.headers["content-type"].startswith("text/html")
        assert resp.headers["cache-control"] == REVALIDATE == "no-cache"

    def test_hashed_assets_are_cached_for_a_year_as_immutable(self, web: TestClient) -> None:
        resp = web.get("/assets/app-abc123.js")
        assert resp.status_code == 200
        assert resp.text == ASSET
        assert resp.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"

    def test_the_service_worker_is_revalidated_so_a_new_build_reaches_phones(self, web: TestClient) -> None:
        resp = web.get("/sw.js")
        assert resp.status_code == 200
        assert resp.text == SERVICE_WORKER
        assert "javascript" in resp.headers["content-type"]
        assert resp.headers["cache-control"] == "no-cache"

    def test_the_manifest_is_revalidated_and_typed_as_a_manifest(self, web: TestClient) -> None:
        resp = web.get("/manifest.webmanifest")
        assert resp.status_code == 200
        assert resp.json()["name"] == "Tavolo"
        assert resp.headers["content-type"].startswith("application/manifest+json")
        assert resp.headers["cache-control"] == "no-cache"

    def test_a_revalidation_that_finds_nothing_new_keeps_the_no_cache_header(self, web: TestClient) -> None:
        etag = web.get("/").headers["etag"]
        resp = web.get("/", headers={"If-None-Match": etag})
        assert resp.status_code == 304
        assert resp.headers["cache-control"] == "no-cache"


class TestClientRoutes:
    @pytest.mark.parametrize("path", ["/order/12", "/order/12/pay", "/order/tmp-3f2a9c", "/index.html"])
    def test_a_route_of_the_app_gets_the_app_page(self, web: TestClient, path: str) -> None:
        resp = web.get(path)
        assert resp.status_code == 200
        assert is_index(resp.text)
        assert resp.headers["cache-control"] == "no-cache"


class TestMissingFiles:
    @pytest.mark.parametrize("path", ["/assets/nope.js", "/favicon-x.png", "/icons/missing.svg"])
    def test_a_missing_file_is_a_404_and_not_the_app_page(self, web: TestClient, path: str) -> None:
        resp = web.get(path)
        assert resp.status_code == 404
        assert not is_index(resp.text)
        assert resp.json()["code"] == "NOT_FOUND"


class TestTheApiIsNeverTheApp:
    @pytest.mark.parametrize("path", ["/api/nope", "/api/orders/nope/deeper", "/docs/nope", "/media/nope"])
    def test_an_unknown_api_path_is_a_json_404_with_a_code(self, web: TestClient, path: str) -> None:
        resp = web.get(path)
        assert resp.status_code == 404
        assert resp.headers["content-type"].startswith("application/json")
        assert resp.json()["code"] == "NOT_FOUND"
        assert not is_index(resp.text)

    def test_the_api_documentation_still_works(self, web: TestClient) -> None:
        docs = web.get("/docs")
        assert docs.status_code == 200
        assert "swagger" in docs.text.lower()
        schema = web.get("/openapi.json")
        assert schema.status_code == 200
        assert "/api/orders/" in schema.json()["paths"]

    def test_api_routes_win_over_the_app(self, web: TestClient) -> None:
        resp = web.get("/api/system/health")
        assert resp.status_code == 200
        assert resp.json()["status"] == "ok"

    def test_a_wrong_method_on_an_api_route_is_still_the_apis_405(self, web: TestClient) -> None:
        resp = web.delete("/api/system/health")
        assert resp.status_code == 405
        assert resp.json()["code"] == "METHOD_NOT_ALLOWED"

    def test_writing_to_a_page_of_the_app_is_refused(self, web: TestClient) -> None:
        resp = web.post("/order/12")
        assert resp.status_code == 405
        assert not is_index(resp.text)


class TestPathTraversal:
    @pytest.mark.parametrize(
        "path",
        [
            "/..%2f..%2fetc/passwd",
            "/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/assets/..%2f..%2f..%2fsecret.txt",
            "/%2e%2e/%2e%2e/secret.txt",
        ],
    )
    def test_a_path_out_of_the_build_never_reads_a_file_outside_it(
        self, tmp_path: Path, web: TestClient, path: str
    ) -> None:
        # A file right beside the build, where a traversal of two levels would land.
        (tmp_path / "secret.txt").write_text("top secret")
        resp = web.get(path)
        assert "top secret" not in resp.text
        assert "root:" not in resp.text
        # Either refused or answered with the app's own page, never another file.
        assert resp.status_code == 404 or is_index(resp.text)


class TestBuildLocation:
    def test_the_page_is_revalidated_even_when_the_build_lives_under_a_folder_named_assets(
        self, tmp_path: Path
    ) -> None:
        # Only the app's own assets/ folder is content-hashed; where the build was copied to must not matter.
        with client_for(tmp_path, build_app(tmp_path / "assets" / "dist")) as client:
            resp = client.get("/")
            assert resp.status_code == 200
            assert resp.headers["cache-control"] == "no-cache"
            assert client.get("/sw.js").headers["cache-control"] == "no-cache"
            assert client.get("/assets/app-abc123.js").headers["cache-control"] == IMMUTABLE


class TestWithoutABuild:
    def test_the_root_explains_that_the_apps_are_not_built(self, tmp_path: Path) -> None:
        with client_for(tmp_path, tmp_path / "empty") as client:
            resp = client.get("/")
            assert resp.status_code == 200
            assert resp.headers["content-type"].startswith("text/html")
            assert "have not been built" in resp.text
            assert resp.headers["cache-control"] == "no-cache"

    def test_the_api_still_answers_without_a_build(self, tmp_path: Path) -> None:
        with client_for(tmp_path, tmp_path / "empty") as client:
            assert client.get("/api/system/health").json()["status"] == "ok"
            assert client.get("/order/12").status_code == 404


class TestTheKitchenApp:
    def test_its_page_is_served_under_kitchen_and_revalidated(self, web: TestClient) -> None:
        resp = web.get("/kitchen/")
        assert resp.status_code == 200
        assert is_kitchen_index(resp.text)
        assert resp.headers["content-type"].startswith("text/html")
        assert resp.headers["cache-control"] == "no-cache"

    def test_its_hashed_assets_are_immutable(self, web: TestClient) -> None:
        resp = web.get("/kitchen/assets/kds-def456.js")
        assert resp.status_code == 200
        assert resp.text == KITCHEN_ASSET
        assert resp.headers["cache-control"] == IMMUTABLE

    def test_its_manifest_is_revalidated(self, web: TestClient) -> None:
        resp = web.get("/kitchen/manifest.webmanifest")
        assert resp.status_code == 200
        assert resp.json()["start_url"] == "/kitchen/"
        assert resp.headers["cache-control"] == "no-cache"

    @pytest.mark.parametrize("path", ["/kitchen/board", "/kitchen/a/b/c", "/kitchen/index.html"])
    def test_a_route_under_kitchen_gets_the_kitchen_page_not_the_waiters(self, web: TestClient, path: str) -> None:
        resp = web.get(path)
        assert resp.status_code == 200
        assert is_kitchen_index(resp.text)
        assert not is_index(resp.text)
        assert resp.headers["cache-control"] == "no-cache"

    @pytest.mark.parametrize("path", ["/kitchen", "/kitchen?pair=kds_abc-123"])
    def test_the_bare_prefix_redirects_to_the_app_keeping_the_query(self, web: TestClient, path: str) -> None:
        resp = web.get(path, follow_redirects=False)
        assert resp.status_code == 308
        assert resp.headers["location"] == path.replace("/kitchen", "/kitchen/", 1)
        followed = web.get(path)
        assert followed.status_code == 200
        assert is_kitchen_index(followed.text)

    @pytest.mark.parametrize("path", ["/kitchen/assets/nope.js", "/kitchen/sw.js", "/kitchen/icon-192.png"])
    def test_a_missing_file_under_kitchen_is_a_404_and_never_the_waiters_file(self, web: TestClient, path: str) -> None:
        # The waiter's service worker exists, but not in the kitchen's build: it must not be served from there.
        resp = web.get(path)
        assert resp.status_code == 404
        assert resp.json()["code"] == "NOT_FOUND"

    def test_the_kitchens_assets_are_not_served_at_the_root(self, web: TestClient) -> None:
        assert web.get("/assets/kds-def456.js").status_code == 404

    @pytest.mark.parametrize("path", ["/kitchenware", "/kitchen-sink/x"])
    def test_a_path_merely_starting_like_the_prefix_belongs_to_the_waiter_app(self, web: TestClient, path: str) -> None:
        resp = web.get(path)
        assert resp.status_code == 200
        assert is_index(resp.text)

    def test_api_paths_under_kitchen_are_not_pages(self, web: TestClient) -> None:
        resp = web.get("/kitchen/api/kitchen/tickets")
        assert resp.status_code == 404
        assert resp.json()["code"] == "NOT_FOUND"

    def test_writing_to_a_kitchen_page_is_refused(self, web: TestClient) -> None:
        resp = web.post("/kitchen/")
        assert resp.status_code == 405

    def test_the_kitchen_api_and_socket_paths_are_untouched(self, web: TestClient) -> None:
        resp = web.get("/api/kitchen/tickets")
        assert resp.status_code == 401
        assert resp.headers["content-type"].startswith("application/json")


class TestOneAppNotBuilt:
    def test_without_a_kitchen_build_its_prefix_explains_and_never_shows_the_waiter_app(self, tmp_path: Path) -> None:
        web_dir = tmp_path / "web"
        build_waiter(web_dir)
        with client_for(tmp_path, web_dir) as client:
            for path in ("/kitchen/", "/kitchen/board"):
                resp = client.get(path)
                assert resp.status_code == 200
                assert "have not been built" in resp.text
                assert not is_index(resp.text)
            assert client.post("/kitchen/").status_code == 405
            assert is_index(client.get("/").text)

    def test_without_a_waiter_build_the_kitchen_is_still_served(self, tmp_path: Path) -> None:
        web_dir = tmp_path / "web"
        build_kitchen(web_dir)
        with client_for(tmp_path, web_dir) as client:
            assert is_kitchen_index(client.get("/kitchen/").text)
            assert "have not been built" in client.get("/").text

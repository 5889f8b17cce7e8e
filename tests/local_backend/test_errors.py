"""Every error is {detail, code}; malformed requests are 4xx, never 500."""


class TestErrorShape:
    def test_an_unknown_route_is_404_with_a_code(self, client):
        resp = client.get("/api/nope")
        assert resp.status_code == 404
        assert resp.json() == {"detail": "Not Found", "code": "NOT_FOUND"}

    def test_a_path_with_a_control_character_is_404_not_the_list_route(self, client, manager_headers):
        # Starlette's route regexes let `$` match before a final newline: /api/waiters/%0A would list the staff.
        for path in ("/api/waiters/%0A", "/api/tables/%0D", "/api/orders/%0A", "/api/products/1%00"):
            resp = client.get(path, headers=manager_headers)
            assert resp.status_code == 404, path
            assert resp.json() == {"detail": "Not Found", "code": "NOT_FOUND"}
        assert client.get("/api/waiters/", headers=manager_headers).status_code == 200

    def test_a_wrong_method_is_405_with_a_code(self, client):
        resp = client.delete("/api/system/health")
        assert resp.status_code == 405
        assert resp.json()["code"] == "METHOD_NOT_ALLOWED"

    def test_malformed_json_is_422_with_a_code(self, client):
        resp = client.post("/api/auth/login", content=b"{not json", headers={"content-type": "application/json"})
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"
        assert resp.json()["detail"]

    def test_a_missing_field_names_the_field(self, client):
        resp = client.post("/api/auth/login", json={"username": "x"})
        assert resp.status_code == 422
        assert "pin" in resp.json()["detail"]

    def test_a_body_that_is_not_utf8_is_a_bad_request(self, client):
        resp = client.post(
            "/api/auth/login",
            content=b'{"username": "\xff\xfe", "pin": 1}',
            headers={"content-type": "application/json"},
        )
        assert resp.status_code == 400
        assert resp.json()["code"] == "BAD_REQUEST"

    def test_an_oversized_body_is_413_before_it_is_read(self, client):
        resp = client.post(
            "/api/auth/login",
            content=b"x",
            headers={"content-type": "application/json", "content-length": str(64 * 1024 * 1024)},
        )
        assert resp.status_code == 413
        assert resp.json()["code"] == "PAYLOAD_TOO_LARGE"

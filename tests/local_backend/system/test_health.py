"""Health is public and reports version, database and uptime."""

from local_backend import __version__


class TestHealth:
    def test_health_is_public_and_reports_the_database(self, client):
        resp = client.get("/api/system/health")
        assert resp.status_code == 200
        body = resp.json()
        assert body["status"] == "ok"
        assert body["db"] == "ok"
        assert body["version"] == __version__
        assert body["uptime_seconds"] >= 0


class TestSiteInfo:
    def test_site_info_is_public_and_names_the_restaurant_currency_and_timezone(self, client):
        resp = client.get("/api/system/info")
        assert resp.status_code == 200
        body = resp.json()
        assert body["currency"] == "EUR"
        assert body["timezone"] == "Europe/Athens"
        assert body["restaurant_name"] == "Tavolo"
        assert body["version"] == __version__

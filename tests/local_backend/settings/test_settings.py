"""Site settings: seeded from the environment, read by every app, changed by managers with validation and audit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from local_backend.app import create_app
from tests.conftest import login, make_settings

DEFAULTS = {
    "restaurant_name": "Tavolo",
    "timezone": "Europe/Athens",
    "currency": "EUR",
    "tax_mode": "inclusive",
    "service_charge_bp": 0,
    "receipt_footer": "",
    "auto_day_close_hour": None,
    "report_printer_id": None,
    "logo_updated_at": None,
    "guest_ordering": "confirm",
    "guest_max_sends_per_minute": 3,
    "guest_max_items_per_send": 30,
    "guest_payments": True,
}


def put(client, headers, **fields):
    return client.put("/api/settings", json=fields, headers=headers)


def current(client, headers):
    resp = client.get("/api/settings", headers=headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    body.pop("updated_at")
    return body


class TestReading:
    def test_the_first_start_takes_the_environment_as_defaults(self, client, manager_headers):
        assert current(client, manager_headers) == DEFAULTS

    def test_any_logged_in_user_reads_them_but_not_an_anonymous_caller(self, client, waiter_headers):
        assert current(client, waiter_headers("maria")) == DEFAULTS
        assert client.get("/api/settings").status_code == 401


class TestChanging:
    def test_a_manager_changes_only_the_fields_sent(self, client, manager_headers):
        resp = put(
            client, manager_headers, restaurant_name="Ταβέρνα Νίκος", tax_mode="exclusive", service_charge_bp=1000
        )
        assert resp.status_code == 200, resp.text
        expected = {**DEFAULTS, "restaurant_name": "Ταβέρνα Νίκος", "tax_mode": "exclusive", "service_charge_bp": 1000}
        assert {k: v for k, v in resp.json().items() if k != "updated_at"} == expected
        assert current(client, manager_headers) == expected
        assert put(client, manager_headers, auto_day_close_hour=4).json()["auto_day_close_hour"] == 4
        assert put(client, manager_headers, auto_day_close_hour=None).json()["auto_day_close_hour"] is None
        assert current(client, manager_headers)["restaurant_name"] == "Ταβέρνα Νίκος"

    def test_system_info_follows_the_settings(self, client, manager_headers):
        put(client, manager_headers, restaurant_name="Kafeneio", currency="inr", timezone="Asia/Kolkata")
        info = client.get("/api/system/info").json()
        assert (info["restaurant_name"], info["currency"], info["timezone"]) == ("Kafeneio", "INR", "Asia/Kolkata")
        assert set(info) == {"restaurant_name", "currency", "timezone", "version"}

    def test_a_change_is_audit_logged_with_old_and_new_values(self, client, manager_headers):
        put(client, manager_headers, receipt_footer="Ευχαριστούμε!", tax_mode="inclusive")
        events = client.get("/api/audit/", params={"action": "settings.updated"}, headers=manager_headers).json()
        assert len(events) == 1
        # tax_mode did not change, so only the footer is recorded
        assert events[0]["data"] == {"receipt_footer": ["", "Ευχαριστούμε!"]}
        assert events[0]["actor_name"] == "boss"

    def test_sending_what_is_already_there_records_nothing(self, client, manager_headers):
        assert put(client, manager_headers, timezone="Europe/Athens").status_code == 200
        assert client.get("/api/audit/", params={"action": "settings.updated"}, headers=manager_headers).json() == []

    def test_only_a_manager_changes_them(self, client, waiter_headers):
        resp = put(client, waiter_headers("maria"), restaurant_name="Mine now")
        assert (resp.status_code, resp.json()["code"]) == (403, "MANAGER_REQUIRED")


class TestValidation:
    def test_a_timezone_must_be_an_iana_zone(self, client, manager_headers):
        for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "EST5EDT,M3.2.0,M11.1.0", "europe/athens"):
            resp = put(client, manager_headers, timezone=bad)
            assert (resp.status_code, resp.json()["code"]) == (422, "INVALID_TIMEZONE"), bad
        assert current(client, manager_headers)["timezone"] == "Europe/Athens"

    def test_out_of_range_or_malformed_values_are_422(self, client, manager_headers):
        for fields in (
            {"service_charge_bp": 10_001},
            {"service_charge_bp": -1},
            {"auto_day_close_hour": 24},
            {"tax_mode": "sometimes"},
            {"currency": "EURO"},
            {"restaurant_name": ""},
            {"restaurant_name": None},
            {"timezone": None},
            {"colour": "blue"},
        ):
            resp = put(client, manager_headers, **fields)
            assert (resp.status_code, resp.json()["code"]) == (422, "VALIDATION_ERROR"), fields
        assert current(client, manager_headers) == DEFAULTS

    def test_the_report_printer_must_exist(self, client, manager_headers):
        resp = put(client, manager_headers, report_printer_id=4242)
        assert (resp.status_code, resp.json()["code"]) == (422, "UNKNOWN_PRINTER")


class TestPersistence:
    def test_settings_outlive_a_restart_and_a_changed_environment(self, tmp_path, client, manager_headers):
        put(client, manager_headers, timezone="Asia/Kolkata", restaurant_name="Dhaba")
        # Same database, another TIMEZONE in the environment: the manager's choice stands.
        with TestClient(create_app(make_settings(tmp_path, timezone="UTC", restaurant_name="Other"))) as again:
            body = current(again, login(again, "boss", "9999"))
        assert (body["timezone"], body["restaurant_name"]) == ("Asia/Kolkata", "Dhaba")


class TestGuestOrderingSettings:
    def test_a_manager_sets_the_mode_and_limits(self, client, manager_headers):
        resp = put(client, manager_headers, guest_ordering="direct", guest_max_sends_per_minute=5)
        assert resp.status_code == 200, resp.text
        assert resp.json()["guest_ordering"] == "direct"
        assert resp.json()["guest_max_sends_per_minute"] == 5

    @pytest.mark.parametrize(
        "fields",
        [
            {"guest_ordering": "sometimes"},
            {"guest_ordering": None},
            {"guest_max_sends_per_minute": 0},
            {"guest_max_items_per_send": 201},
            {"guest_payments": None},
            {"guest_payments": "yes"},
        ],
    )
    def test_invalid_values_are_refused(self, client, manager_headers, fields):
        assert put(client, manager_headers, **fields).status_code == 422

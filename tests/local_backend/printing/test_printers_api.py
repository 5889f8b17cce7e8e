"""/api/printers: managers configure printers (zones); every staff member sees their status."""

from __future__ import annotations

import pytest

PRINTERS = "/api/printers/"


def create(client, headers, **fields):
    body = {"name": "Κουζίνα", "ip_address": "192.168.1.50", **fields}
    return client.post(PRINTERS, json=body, headers=headers)


class TestCreatingAPrinter:
    def test_a_manager_adds_a_printer_with_greek_defaults(self, client, manager_headers):
        resp = create(client, manager_headers)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["name"] == "Κουζίνα"
        assert (body["ip_address"], body["port"]) == ("192.168.1.50", 9100)
        assert (body["code_page"], body["code_page_slot"], body["columns"]) == ("cp737", 29, 48)
        assert (body["backup_printer_id"], body["is_active"], body["failover_seconds"]) == (None, True, 30)
        assert body["status"]["queue_length"] == 0
        assert body["status"]["state"] in ("unknown", "offline")

    def test_the_code_page_slot_defaults_to_the_pages_usual_one(self, client, manager_headers):
        resp = create(client, manager_headers, code_page="PC850", columns=32)
        assert (resp.json()["code_page"], resp.json()["code_page_slot"], resp.json()["columns"]) == ("cp850", 2, 32)
        epson = create(client, manager_headers, name="Epson", code_page="cp737", code_page_slot=14)
        assert epson.json()["code_page_slot"] == 14

    def test_a_host_name_is_an_address_too(self, client, manager_headers):
        resp = create(client, manager_headers, ip_address="Printer-Sim.local")
        assert resp.json()["ip_address"] == "printer-sim.local"

    @pytest.mark.parametrize(
        "fields",
        [
            {"ip_address": "not an address"},
            {"ip_address": ""},
            {"port": 0},
            {"port": 70000},
            {"code_page": "klingon"},
            {"code_page_slot": 256},
            {"columns": 8},
            {"failover_seconds": -1},
            {"name": "   "},
            {"colour": "red"},
        ],
    )
    def test_invalid_settings_are_refused(self, client, manager_headers, fields):
        resp = create(client, manager_headers, **fields)
        assert resp.status_code == 422, resp.text
        assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_names_are_unique_whatever_their_case(self, client, manager_headers):
        create(client, manager_headers, name="Bar")
        resp = create(client, manager_headers, name="BAR")
        assert resp.status_code == 409
        assert resp.json()["code"] == "PRINTER_NAME_TAKEN"

    def test_a_non_ascii_name_taken_again_is_a_conflict_not_a_500(self, client, manager_headers):
        # SQLite's lower() folds ASCII only: the same name again must still be caught before the UNIQUE index.
        assert create(client, manager_headers, name="Κουζίνα Ü").status_code == 201
        resp = create(client, manager_headers, name="Κουζίνα Ü")
        assert (resp.status_code, resp.json()["code"]) == (409, "PRINTER_NAME_TAKEN")

    def test_the_backup_must_be_another_existing_printer(self, client, manager_headers):
        resp = create(client, manager_headers, backup_printer_id=999)
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_BACKUP_PRINTER"
        spare = create(client, manager_headers, name="Spare").json()
        main = create(client, manager_headers, backup_printer_id=spare["id"]).json()
        assert main["backup_printer_id"] == spare["id"]
        itself = client.put(f"{PRINTERS}{main['id']}", json={"backup_printer_id": main["id"]}, headers=manager_headers)
        assert itself.status_code == 422
        assert itself.json()["code"] == "BACKUP_IS_SELF"

    def test_a_waiter_may_not_manage_printers(self, client, waiter_headers):
        maria = waiter_headers("maria")
        assert create(client, maria).status_code == 403
        assert client.get(PRINTERS, headers=maria).json()["code"] == "MANAGER_REQUIRED"


class TestChangingAPrinter:
    def test_only_the_fields_sent_change(self, client, manager_headers):
        printer = create(client, manager_headers, port=9101).json()
        resp = client.put(f"{PRINTERS}{printer['id']}", json={"is_active": False}, headers=manager_headers)
        assert resp.status_code == 200
        assert (resp.json()["is_active"], resp.json()["port"], resp.json()["name"]) == (False, 9101, "Κουζίνα")
        assert resp.json()["status"]["state"] == "inactive"

    def test_a_new_code_page_without_a_slot_takes_its_usual_slot(self, client, manager_headers):
        printer = create(client, manager_headers, code_page_slot=14).json()
        resp = client.put(f"{PRINTERS}{printer['id']}", json={"code_page": "cp1253"}, headers=manager_headers)
        assert (resp.json()["code_page"], resp.json()["code_page_slot"]) == ("cp1253", 47)
        resp = client.put(f"{PRINTERS}{printer['id']}", json={"code_page_slot": 3}, headers=manager_headers)
        assert (resp.json()["code_page"], resp.json()["code_page_slot"]) == ("cp1253", 3)

    def test_required_fields_cannot_be_nulled_but_the_backup_can(self, client, manager_headers):
        spare = create(client, manager_headers, name="Spare").json()
        printer = create(client, manager_headers, backup_printer_id=spare["id"]).json()
        url = f"{PRINTERS}{printer['id']}"
        assert client.put(url, json={"port": None}, headers=manager_headers).status_code == 422
        cleared = client.put(url, json={"backup_printer_id": None}, headers=manager_headers)
        assert cleared.json()["backup_printer_id"] is None

    def test_an_unknown_printer_is_not_found(self, client, manager_headers):
        resp = client.put(f"{PRINTERS}999", json={"port": 9100}, headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "PRINTER_NOT_FOUND"

    def test_changes_are_audited(self, client, manager_headers):
        printer = create(client, manager_headers).json()
        client.put(f"{PRINTERS}{printer['id']}", json={"port": 9200}, headers=manager_headers)
        events = client.get("/api/audit/", params={"entity_type": "printer"}, headers=manager_headers).json()
        actions = {e["action"]: e for e in events}
        assert {"printing.printer_created", "printing.printer_updated"} <= set(actions)
        assert actions["printing.printer_updated"]["data"]["changes"] == {"port": [9100, 9200]}


class TestDeletingAPrinter:
    def test_an_unused_printer_is_deleted(self, client, manager_headers):
        printer = create(client, manager_headers).json()
        assert client.delete(f"{PRINTERS}{printer['id']}", headers=manager_headers).status_code == 204
        assert client.get(f"{PRINTERS}{printer['id']}", headers=manager_headers).status_code == 404

    def test_a_printer_products_are_routed_to_is_in_use(self, client, manager_headers, make_product):
        printer = create(client, manager_headers).json()
        make_product("Μουσακάς", printer_zone_id=printer["id"])
        resp = client.delete(f"{PRINTERS}{printer['id']}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PRINTER_IN_USE"
        assert "Μουσακάς" in resp.json()["detail"]

    def test_a_printer_a_category_is_routed_to_is_in_use(self, client, manager_headers, make_product):
        printer = create(client, manager_headers).json()
        make_product("Ouzo", category="Bar", category_zone=printer["id"])
        resp = client.delete(f"{PRINTERS}{printer['id']}", headers=manager_headers)
        assert resp.status_code == 409
        assert "Bar" in resp.json()["detail"]

    def test_a_backup_printer_is_in_use(self, client, manager_headers):
        spare = create(client, manager_headers, name="Spare").json()
        create(client, manager_headers, backup_printer_id=spare["id"])
        resp = client.delete(f"{PRINTERS}{spare['id']}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PRINTER_IN_USE"


class TestUnroutedProducts:
    def test_products_that_print_nowhere_are_listed_with_the_reason(self, client, manager_headers, make_product):
        kitchen = create(client, manager_headers).json()
        off = create(client, manager_headers, name="Off", is_active=False).json()
        make_product("Routed", category="Food", category_zone=kitchen["id"])
        make_product("Own zone", category="Loose", printer_zone_id=kitchen["id"])
        make_product("Nowhere", category="Loose")
        make_product("Ghost", category="Loose", printer_zone_id=4242)
        make_product("Sleeping", category="Loose", printer_zone_id=off["id"])
        resp = client.get(f"{PRINTERS}unrouted-products", headers=manager_headers)
        assert resp.status_code == 200
        reasons = {p["name"]: p["reason"] for p in resp.json()}
        assert reasons == {"Nowhere": "no_zone", "Ghost": "unknown_printer", "Sleeping": "inactive_printer"}

    def test_a_printer_out_of_service_with_an_active_backup_still_prints(self, client, manager_headers, make_product):
        spare = create(client, manager_headers, name="Spare").json()
        off = create(client, manager_headers, name="Off", is_active=False, backup_printer_id=spare["id"]).json()
        make_product("Covered", printer_zone_id=off["id"])
        assert client.get(f"{PRINTERS}unrouted-products", headers=manager_headers).json() == []


class TestPrinterStatus:
    def test_any_staff_member_sees_every_printers_status(self, client, manager_headers, waiter_headers):
        create(client, manager_headers)
        create(client, manager_headers, name="Bar", is_active=False)
        resp = client.get(f"{PRINTERS}status", headers=waiter_headers("maria"))
        assert resp.status_code == 200
        states = {p["name"]: p for p in resp.json()}
        assert states["Bar"]["state"] == "inactive"
        assert states["Κουζίνα"]["queue_length"] == 0
        assert set(states["Κουζίνα"]) >= {
            "online",
            "paper_out",
            "paper_near_end",
            "last_error",
            "last_success_at",
            "last_checked_at",
        }

    def test_status_needs_a_login(self, client):
        assert client.get(f"{PRINTERS}status").status_code == 401

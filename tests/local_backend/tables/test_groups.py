"""Sections of the floor (table groups): any staff reads them, managers change them."""

from __future__ import annotations

import pytest

BASE = "/api/tables/groups"


class TestListingGroups:
    def test_any_staff_member_sees_sections_in_display_order_with_table_counts(
        self, client, manager_headers, waiter_headers, make_table
    ):
        client.post(BASE, json={"name": "Terrace", "sort_order": 2}, headers=manager_headers)
        client.post(BASE, json={"name": "Hall", "sort_order": 1}, headers=manager_headers)
        make_table(1, group="Hall")
        make_table(2, group="Hall")
        make_table(3, group="Hall", is_active=False)
        resp = client.get(BASE, headers=waiter_headers("maria"))
        assert resp.status_code == 200
        groups = resp.json()
        assert [(g["name"], g["table_count"]) for g in groups] == [("Hall", 2), ("Terrace", 0)]

    def test_groups_is_not_mistaken_for_a_table_id(self, client, manager_headers):
        assert client.get(BASE, headers=manager_headers).status_code == 200


class TestCreatingAndEditingGroups:
    def test_a_manager_creates_a_section(self, client, manager_headers):
        resp = client.post(BASE, json={"name": "  Bar  "}, headers=manager_headers)
        assert resp.status_code == 201
        assert resp.json()["name"] == "Bar"
        assert resp.json()["table_count"] == 0
        events = client.get("/api/audit/", params={"action": "tables.group_created"}, headers=manager_headers).json()
        assert events[0]["data"]["name"] == "Bar"

    def test_a_taken_name_is_a_conflict_regardless_of_case(self, client, manager_headers):
        client.post(BASE, json={"name": "Bar"}, headers=manager_headers)
        resp = client.post(BASE, json={"name": "BAR"}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "GROUP_NAME_TAKEN"

    @pytest.mark.parametrize(("first", "second"), [("Αυλή", "ΑΥΛΉ"), ("Å\x06", "Å\x06"), ("Straße", "STRASSE")])
    def test_non_ascii_names_are_compared_regardless_of_case_too(self, client, manager_headers, first, second):
        assert client.post(BASE, json={"name": first}, headers=manager_headers).status_code == 201
        resp = client.post(BASE, json={"name": second}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "GROUP_NAME_TAKEN"

    def test_renaming_and_reordering(self, client, manager_headers):
        gid = client.post(BASE, json={"name": "Bar"}, headers=manager_headers).json()["id"]
        resp = client.put(f"{BASE}/{gid}", json={"name": "Lounge", "sort_order": 5}, headers=manager_headers)
        assert resp.status_code == 200
        assert (resp.json()["name"], resp.json()["sort_order"]) == ("Lounge", 5)

    def test_renaming_onto_another_sections_name_is_a_conflict(self, client, manager_headers):
        client.post(BASE, json={"name": "Bar"}, headers=manager_headers)
        gid = client.post(BASE, json={"name": "Hall"}, headers=manager_headers).json()["id"]
        resp = client.put(f"{BASE}/{gid}", json={"name": "bar"}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "GROUP_NAME_TAKEN"

    def test_an_unknown_section_is_404(self, client, manager_headers):
        resp = client.put(f"{BASE}/999", json={"name": "X"}, headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "GROUP_NOT_FOUND"
        assert client.delete(f"{BASE}/999", headers=manager_headers).status_code == 404

    @pytest.mark.parametrize(
        "body", [{"name": ""}, {"name": "   "}, {"name": "x" * 81}, {"name": "A", "sort_order": 10**9}]
    )
    def test_invalid_names_are_validation_errors(self, client, manager_headers, body):
        resp = client.post(BASE, json=body, headers=manager_headers)
        assert resp.status_code == 422


class TestDeletingGroups:
    def test_tables_stay_without_a_section(self, client, manager_headers, make_table):
        table = make_table(1, group="Hall")
        other = make_table(2, group="Bar")
        resp = client.delete(f"{BASE}/{table.group_id}", headers=manager_headers)
        assert resp.status_code == 204
        tables = {t["id"]: t for t in client.get("/api/tables/", headers=manager_headers).json()}
        assert tables[table.id]["group_id"] is None
        assert tables[table.id]["group_name"] is None
        assert tables[other.id]["group_name"] == "Bar"
        assert [g["name"] for g in client.get(BASE, headers=manager_headers).json()] == ["Bar"]
        events = client.get("/api/audit/", params={"action": "tables.group_deleted"}, headers=manager_headers).json()
        assert events[0]["data"] == {"name": "Hall", "tables_ungrouped": 1}

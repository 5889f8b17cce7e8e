"""Managers change the floor: create (one or a batch), edit, move, deactivate tables."""

from __future__ import annotations

import pytest

BASE = "/api/tables/"


def numbers(client, headers, **params):
    return sorted(t["number"] for t in client.get(BASE, headers=headers, params=params).json())


def audit(client, headers, action):
    resp = client.get("/api/audit/", params={"action": action}, headers=headers)
    assert resp.status_code == 200
    return resp.json()


class TestWaitersCannotChangeTheFloor:
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("POST", "", {"number": 1}),
            ("POST", "batch", {"prefix": "T", "count": 2, "start": 1}),
            ("PUT", "{id}", {"seats": 2}),
            ("DELETE", "{id}", None),
            ("PUT", "positions", {"positions": []}),
            ("POST", "groups", {"name": "Hall"}),
            ("PUT", "groups/{gid}", {"name": "Hall"}),
            ("DELETE", "groups/{gid}", None),
        ],
    )
    def test_a_waiter_is_forbidden_with_manager_required(self, client, waiter_headers, make_table, method, path, body):
        table = make_table(50, group="Bar")
        url = BASE + path.format(id=table.id, gid=table.group_id)
        resp = client.request(method, url, json=body, headers=waiter_headers("maria"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"


class TestCreatingATable:
    def test_a_manager_creates_a_table_with_a_default_label(self, client, manager_headers):
        resp = client.post(BASE, json={"number": 7, "seats": 2}, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["number"] == 7
        assert body["label"] == "T7"
        assert body["seats"] == 2
        assert body["state"] == "free"
        assert numbers(client, manager_headers) == [7]

    def test_label_group_and_position_can_be_given(self, client, manager_headers):
        gid = client.post(f"{BASE}groups", json={"name": "Terrace"}, headers=manager_headers).json()["id"]
        body = {"number": 8, "label": "Window", "group_id": gid, "pos_x": 10, "pos_y": -2}
        resp = client.post(BASE, json=body, headers=manager_headers)
        assert resp.status_code == 201
        out = resp.json()
        assert (out["label"], out["group_id"], out["group_name"]) == ("Window", gid, "Terrace")
        assert (out["pos_x"], out["pos_y"]) == (10, -2)

    def test_a_taken_number_is_a_conflict_even_if_that_table_is_inactive(self, client, manager_headers, make_table):
        make_table(7, is_active=False)
        resp = client.post(BASE, json={"number": 7}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_NUMBER_TAKEN"

    def test_an_unknown_group_is_a_validation_error(self, client, manager_headers):
        resp = client.post(BASE, json={"number": 7, "group_id": 999}, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_GROUP"
        assert numbers(client, manager_headers) == []

    @pytest.mark.parametrize(
        "body",
        [
            {"number": 0},
            {"number": 10000},
            {"number": 1, "seats": 51},
            {"number": 1, "seats": -1},
            {"number": 1, "label": ""},
            {"number": 1, "label": "x" * 41},
            {"number": 1, "pos_x": 10**12},
            {"number": 1, "group_id": 2**64},
            {"number": 1, "colour": "red"},
            {},
        ],
    )
    def test_invalid_input_is_a_validation_error(self, client, manager_headers, body):
        resp = client.post(BASE, json=body, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_creation_is_audited(self, client, manager_headers):
        table_id = client.post(BASE, json={"number": 7}, headers=manager_headers).json()["id"]
        event = audit(client, manager_headers, "tables.created")[0]
        assert event["entity_id"] == table_id
        assert event["data"]["number"] == 7


class TestBatchCreation:
    def test_a_batch_creates_numbered_labelled_tables(self, client, manager_headers):
        gid = client.post(f"{BASE}groups", json={"name": "Garden"}, headers=manager_headers).json()["id"]
        body = {"prefix": "G", "count": 5, "start": 20, "seats": 6, "group_id": gid}
        resp = client.post(f"{BASE}batch", json=body, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        made = resp.json()
        assert [t["number"] for t in made] == [20, 21, 22, 23, 24]
        assert [t["label"] for t in made] == ["G20", "G21", "G22", "G23", "G24"]
        assert {t["seats"] for t in made} == {6}
        assert {t["group_name"] for t in made} == {"Garden"}
        assert numbers(client, manager_headers) == [20, 21, 22, 23, 24]
        event = audit(client, manager_headers, "tables.batch_created")[0]
        assert sorted(event["data"]["table_ids"]) == sorted(t["id"] for t in made)

    def test_a_clash_creates_nothing_and_names_the_taken_numbers(self, client, manager_headers, make_table):
        make_table(3)
        make_table(5)
        resp = client.post(f"{BASE}batch", json={"prefix": "T", "count": 10, "start": 1}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_NUMBER_TAKEN"
        assert "3, 5" in resp.json()["detail"]
        assert numbers(client, manager_headers) == [3, 5]

    def test_an_unknown_group_creates_nothing(self, client, manager_headers):
        resp = client.post(
            f"{BASE}batch", json={"prefix": "T", "count": 3, "start": 1, "group_id": 404}, headers=manager_headers
        )
        assert resp.status_code == 422
        assert numbers(client, manager_headers) == []

    def test_the_largest_batch_is_accepted(self, client, manager_headers):
        resp = client.post(f"{BASE}batch", json={"prefix": "", "count": 200, "start": 9800}, headers=manager_headers)
        assert resp.status_code == 201
        assert len(resp.json()) == 200
        assert resp.json()[-1]["label"] == "9999"

    @pytest.mark.parametrize(
        "body",
        [
            {"prefix": "T", "count": 0, "start": 1},
            {"prefix": "T", "count": 201, "start": 1},
            {"prefix": "T", "count": 5, "start": 0},
            {"prefix": "T", "count": 5, "start": 9996},
            {"prefix": "x" * 31, "count": 1, "start": 1},
            {"prefix": "T", "count": 1, "start": 1, "seats": 99},
            {"prefix": "T", "start": 1},
        ],
    )
    def test_invalid_batches_are_validation_errors(self, client, manager_headers, body):
        resp = client.post(f"{BASE}batch", json=body, headers=manager_headers)
        assert resp.status_code == 422
        assert numbers(client, manager_headers) == []

    def test_a_replayed_batch_with_the_same_idempotency_key_creates_nothing_more(self, client, manager_headers):
        headers = {**manager_headers, "Idempotency-Key": "batch-1"}
        body = {"prefix": "T", "count": 3, "start": 1}
        first = client.post(f"{BASE}batch", json=body, headers=headers)
        second = client.post(f"{BASE}batch", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert numbers(client, manager_headers) == [1, 2, 3]


class TestUpdatingATable:
    def test_only_the_fields_sent_change(self, client, manager_headers, make_table):
        table = make_table(4, seats=4, group="Hall", pos_x=1, pos_y=1)
        resp = client.put(f"{BASE}{table.id}", json={"seats": 8, "label": "Big one"}, headers=manager_headers)
        assert resp.status_code == 200
        out = resp.json()
        assert (out["seats"], out["label"], out["number"]) == (8, "Big one", 4)
        assert out["group_name"] == "Hall"
        assert (out["pos_x"], out["pos_y"]) == (1, 1)
        event = audit(client, manager_headers, "tables.updated")[0]
        assert event["data"] == {"seats": [4, 8], "label": ["T4", "Big one"]}

    def test_group_null_takes_the_table_out_of_its_section(self, client, manager_headers, make_table):
        table = make_table(4, group="Hall")
        resp = client.put(f"{BASE}{table.id}", json={"group_id": None}, headers=manager_headers)
        assert resp.json()["group_id"] is None
        assert resp.json()["group_name"] is None

    def test_renumbering_onto_a_taken_number_is_a_conflict(self, client, manager_headers, make_table):
        make_table(1)
        table = make_table(2)
        resp = client.put(f"{BASE}{table.id}", json={"number": 1}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_NUMBER_TAKEN"
        same = client.put(f"{BASE}{table.id}", json={"number": 2}, headers=manager_headers)
        assert same.status_code == 200

    def test_moving_into_an_unknown_group_is_a_validation_error(self, client, manager_headers, make_table):
        table = make_table(1)
        resp = client.put(f"{BASE}{table.id}", json={"group_id": 321}, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_GROUP"

    def test_a_table_can_be_reactivated(self, client, manager_headers, make_table):
        table = make_table(1, is_active=False)
        resp = client.put(f"{BASE}{table.id}", json={"is_active": True}, headers=manager_headers)
        assert resp.json()["is_active"] is True
        assert numbers(client, manager_headers) == [1]

    def test_deactivating_by_put_is_refused_while_an_order_is_open(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        table = make_table(1)
        open_order(table.id, make_user("maria").id, [(100, 1)])
        resp = client.put(f"{BASE}{table.id}", json={"is_active": False, "seats": 9}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_HAS_OPEN_ORDER"
        assert client.get(f"{BASE}{table.id}", headers=manager_headers).json()["seats"] == 4

    def test_updating_an_unknown_table_is_404(self, client, manager_headers):
        assert client.put(f"{BASE}777", json={"seats": 1}, headers=manager_headers).status_code == 404


class TestDeactivatingATable:
    def test_a_deactivated_table_leaves_the_floor_but_is_kept(self, client, manager_headers, make_table):
        table = make_table(1)
        make_table(2)
        resp = client.delete(f"{BASE}{table.id}", headers=manager_headers)
        assert resp.status_code == 204
        assert numbers(client, manager_headers) == [2]
        assert numbers(client, manager_headers, all="true") == [1, 2]
        assert audit(client, manager_headers, "tables.deactivated")[0]["entity_id"] == table.id

    def test_a_table_with_an_active_order_cannot_be_deactivated(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        table = make_table(1)
        open_order(table.id, make_user("maria").id, [(100, 1)], status="paid", paid=[0])
        resp = client.delete(f"{BASE}{table.id}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "TABLE_HAS_OPEN_ORDER"
        assert numbers(client, manager_headers) == [1]

    def test_a_table_whose_order_is_closed_can_be_deactivated(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        table = make_table(1)
        open_order(table.id, make_user("maria").id, [(100, 1)], status="closed", paid=[0])
        assert client.delete(f"{BASE}{table.id}", headers=manager_headers).status_code == 204


class TestSavingPositions:
    def test_many_tables_move_at_once(self, client, manager_headers, make_table):
        a, b, c = make_table(1), make_table(2), make_table(3)
        body = {"positions": [{"id": a.id, "pos_x": 5, "pos_y": 6}, {"id": b.id, "pos_x": -3, "pos_y": 0}]}
        resp = client.put(f"{BASE}positions", json=body, headers=manager_headers)
        assert resp.status_code == 200, resp.text
        assert {t["id"] for t in resp.json()} == {a.id, b.id}
        tables = {t["id"]: (t["pos_x"], t["pos_y"]) for t in client.get(BASE, headers=manager_headers).json()}
        assert tables == {a.id: (5, 6), b.id: (-3, 0), c.id: (0, 0)}
        assert audit(client, manager_headers, "tables.positions_saved")[0]["data"]["table_ids"] == sorted([a.id, b.id])

    def test_an_unknown_table_moves_nothing(self, client, manager_headers, make_table):
        a = make_table(1)
        body = {"positions": [{"id": a.id, "pos_x": 5, "pos_y": 6}, {"id": 9876, "pos_x": 1, "pos_y": 1}]}
        resp = client.put(f"{BASE}positions", json=body, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "UNKNOWN_TABLE"
        assert "9876" in resp.json()["detail"]
        assert client.get(f"{BASE}{a.id}", headers=manager_headers).json()["pos_x"] == 0

    @pytest.mark.parametrize(
        "body",
        [
            {"positions": [{"id": 1, "pos_x": 10**9, "pos_y": 0}]},
            {"positions": [{"id": 1, "pos_x": 0}]},
            {"positions": [{"id": 0, "pos_x": 0, "pos_y": 0}]},
            {"positions": "all"},
        ],
    )
    def test_malformed_positions_are_validation_errors(self, client, manager_headers, make_table, body):
        make_table(1)
        resp = client.put(f"{BASE}positions", json=body, headers=manager_headers)
        assert resp.status_code == 422

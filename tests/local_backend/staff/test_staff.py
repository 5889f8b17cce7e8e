"""Staff management through /api/waiters: create, edit, PIN reset, unlock, deactivate, assistants."""

from __future__ import annotations

import pytest

from tests.conftest import MANAGER, login

BASE = "/api/waiters/"


def create(client, headers, **overrides):
    body = {"username": "maria", "display_name": "Maria", "role": "waiter", "pin": "2468"}
    body.update(overrides)
    return client.post(BASE, json=body, headers=headers)


def me(client, headers):
    return client.get("/api/auth/me", headers=headers)


def audit_actions(client, headers, entity_id):
    resp = client.get("/api/audit/", params={"entity_type": "user", "entity_id": entity_id}, headers=headers)
    assert resp.status_code == 200
    return [e["action"] for e in resp.json()]


def manager_id(client, headers):
    return me(client, headers).json()["id"]


class TestOnlyManagersManageStaff:
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("GET", "", None),
            ("POST", "", {"username": "xx1", "display_name": "X", "role": "waiter", "pin": "1234"}),
            ("GET", "{id}", None),
            ("PUT", "{id}", {"display_name": "Y"}),
            ("DELETE", "{id}", None),
            ("POST", "{id}/pin", {"pin": "1234"}),
            ("POST", "{id}/unlock", None),
            ("GET", "{id}/assistants", None),
            ("PUT", "{id}/assistants", {"assistant_ids": []}),
        ],
    )
    def test_a_waiter_is_forbidden_with_manager_required(self, client, waiter_headers, make_user, method, path, body):
        target = make_user("target")
        headers = waiter_headers("maria")
        resp = client.request(method, BASE + path.format(id=target.id), json=body, headers=headers)
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    def test_without_a_token_it_is_401(self, client):
        resp = client.get(BASE)
        assert resp.status_code == 401
        assert resp.json()["code"] == "NOT_AUTHENTICATED"


class TestCreatingStaff:
    def test_a_manager_creates_a_waiter_who_can_then_log_in(self, client, manager_headers):
        resp = create(client, manager_headers)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["username"] == "maria"
        assert body["display_name"] == "Maria"
        assert body["role"] == "waiter"
        assert body["is_active"] is True
        assert body["locked_until"] is None
        assert body["assistant_ids"] == []
        assert body["assists"] == []
        assert "pin_hash" not in body
        assert "pin" not in body
        headers = login(client, "maria", "2468")
        assert me(client, headers).json()["id"] == body["id"]

    def test_a_manager_can_be_created(self, client, manager_headers):
        resp = create(client, manager_headers, username="eleni", role="manager")
        assert resp.status_code == 201
        headers = login(client, "eleni", "2468")
        assert client.get(BASE, headers=headers).status_code == 200

    def test_a_taken_username_is_a_conflict_regardless_of_case(self, client, manager_headers):
        assert create(client, manager_headers).status_code == 201
        resp = create(client, manager_headers, username="MARIA")
        assert resp.status_code == 409
        assert resp.json()["code"] == "USERNAME_TAKEN"

    @pytest.mark.parametrize(
        "overrides",
        [
            {"username": "ab"},
            {"username": "a" * 65},
            {"username": "has space"},
            {"username": "ünï"},
            {"display_name": ""},
            {"display_name": "   "},
            {"display_name": "x" * 121},
            {"role": "owner"},
            {"pin": "123"},
            {"pin": "123456789"},
            {"pin": "12a4"},
            {"pin": "١٢٣٤"},
            {"is_active": False},
        ],
    )
    def test_invalid_input_is_a_validation_error(self, client, manager_headers, overrides):
        resp = create(client, manager_headers, **overrides)
        assert resp.status_code == 422
        assert resp.json()["code"] == "VALIDATION_ERROR"

    def test_creation_is_audited_without_the_pin(self, client, manager_headers):
        user_id = create(client, manager_headers).json()["id"]
        events = client.get("/api/audit/", params={"action": "staff.created"}, headers=manager_headers).json()
        event = next(e for e in events if e["entity_id"] == user_id)
        assert event["actor_name"] == MANAGER[0]
        assert event["data"]["username"] == "maria"
        assert "2468" not in str(event["data"])


class TestListingStaff:
    def test_the_list_shows_everyone_including_inactive_by_default(self, client, manager_headers, make_user):
        active = make_user("active1")
        gone = make_user("gone1")
        assert client.delete(f"{BASE}{gone.id}", headers=manager_headers).status_code == 204
        rows = {u["username"]: u for u in client.get(BASE, headers=manager_headers).json()}
        assert rows["active1"]["is_active"] is True
        assert rows["gone1"]["is_active"] is False
        assert rows[MANAGER[0]]["role"] == "manager"
        assert all("pin_hash" not in u for u in rows.values())
        assert active.id == rows["active1"]["id"]

    def test_include_inactive_false_hides_deactivated_staff(self, client, manager_headers, make_user):
        make_user("active1")
        gone = make_user("gone1")
        client.delete(f"{BASE}{gone.id}", headers=manager_headers)
        resp = client.get(BASE, params={"include_inactive": "false"}, headers=manager_headers)
        names = {u["username"] for u in resp.json()}
        assert "active1" in names
        assert "gone1" not in names

    def test_one_staff_member_can_be_read(self, client, manager_headers, make_user):
        user = make_user("nikos", display_name="Nikos P.")
        resp = client.get(f"{BASE}{user.id}", headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["display_name"] == "Nikos P."

    def test_an_unknown_id_is_404(self, client, manager_headers):
        resp = client.get(f"{BASE}99999", headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "USER_NOT_FOUND"

    @pytest.mark.parametrize("bad_id", ["0", "-1", str(2**64), "abc"])
    def test_an_out_of_range_id_is_a_validation_error(self, client, manager_headers, bad_id):
        resp = client.get(f"{BASE}{bad_id}", headers=manager_headers)
        assert resp.status_code == 422


class TestUpdatingStaff:
    def test_rename_and_change_display_name(self, client, manager_headers, make_user):
        user = make_user("nikos")
        resp = client.put(
            f"{BASE}{user.id}", json={"username": "nikolas", "display_name": "Nikolas"}, headers=manager_headers
        )
        assert resp.status_code == 200
        assert resp.json()["username"] == "nikolas"
        assert resp.json()["display_name"] == "Nikolas"
        login(client, "nikolas", "1234")
        events = client.get("/api/audit/", params={"action": "staff.updated"}, headers=manager_headers).json()
        assert events[0]["data"]["username"] == ["nikos", "nikolas"]

    def test_renaming_onto_a_taken_username_is_a_conflict(self, client, manager_headers, make_user):
        make_user("nikos")
        other = make_user("eleni")
        resp = client.put(f"{BASE}{other.id}", json={"username": "Nikos"}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "USERNAME_TAKEN"

    def test_changing_only_the_case_of_ones_own_username_is_allowed(self, client, manager_headers, make_user):
        user = make_user("nikos")
        resp = client.put(f"{BASE}{user.id}", json={"username": "Nikos"}, headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["username"] == "Nikos"

    def test_promoting_a_waiter_gives_manager_rights_at_once(self, client, manager_headers, make_user):
        user = make_user("nikos")
        headers = login(client, "nikos", "1234")
        assert client.get(BASE, headers=headers).status_code == 403
        resp = client.put(f"{BASE}{user.id}", json={"role": "manager"}, headers=manager_headers)
        assert resp.json()["role"] == "manager"
        assert client.get(BASE, headers=headers).status_code == 200

    def test_deactivating_by_put_revokes_tokens_and_reactivating_allows_login(self, client, manager_headers, make_user):
        user = make_user("nikos")
        headers = login(client, "nikos", "1234")
        resp = client.put(f"{BASE}{user.id}", json={"is_active": False}, headers=manager_headers)
        assert resp.json()["is_active"] is False
        assert me(client, headers).json()["code"] == "TOKEN_REVOKED"
        resp = client.put(f"{BASE}{user.id}", json={"is_active": True}, headers=manager_headers)
        assert resp.json()["is_active"] is True
        assert me(client, headers).status_code == 401  # the old session stays dead
        assert me(client, login(client, "nikos", "1234")).status_code == 200

    def test_an_empty_update_changes_nothing_and_is_not_audited(self, client, manager_headers, make_user):
        user = make_user("nikos")
        resp = client.put(f"{BASE}{user.id}", json={}, headers=manager_headers)
        assert resp.status_code == 200
        assert "staff.updated" not in audit_actions(client, manager_headers, user.id)

    @pytest.mark.parametrize(
        "body", [{"username": "a b"}, {"role": "chef"}, {"display_name": ""}, {"pin": "1234"}, {"is_active": "maybe"}]
    )
    def test_invalid_updates_are_validation_errors(self, client, manager_headers, make_user, body):
        user = make_user("nikos")
        resp = client.put(f"{BASE}{user.id}", json=body, headers=manager_headers)
        assert resp.status_code == 422


class TestDeactivatingStaff:
    def test_a_deactivated_users_token_is_refused_at_once(self, client, manager_headers, make_user):
        user = make_user("nikos")
        headers = login(client, "nikos", "1234")
        assert me(client, headers).status_code == 200
        resp = client.delete(f"{BASE}{user.id}", headers=manager_headers)
        assert resp.status_code == 204
        after = me(client, headers)
        assert after.status_code == 401
        assert after.json()["code"] == "TOKEN_REVOKED"

    def test_a_deactivated_user_can_neither_log_in_nor_refresh(self, client, manager_headers, make_user):
        user = make_user("nikos")
        tokens = client.post("/api/auth/login", json={"username": "nikos", "pin": "1234"}).json()
        client.delete(f"{BASE}{user.id}", headers=manager_headers)
        assert client.post("/api/auth/login", json={"username": "nikos", "pin": "1234"}).status_code == 401
        refresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refresh.status_code == 401

    def test_deactivation_is_soft_and_audited(self, client, manager_headers, make_user):
        user = make_user("nikos")
        client.delete(f"{BASE}{user.id}", headers=manager_headers)
        resp = client.get(f"{BASE}{user.id}", headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["is_active"] is False
        assert "staff.deactivated" in audit_actions(client, manager_headers, user.id)

    def test_deactivating_twice_is_harmless(self, client, manager_headers, make_user):
        user = make_user("nikos")
        assert client.delete(f"{BASE}{user.id}", headers=manager_headers).status_code == 204
        assert client.delete(f"{BASE}{user.id}", headers=manager_headers).status_code == 204
        assert audit_actions(client, manager_headers, user.id).count("staff.deactivated") == 1

    def test_deactivating_an_unknown_user_is_404(self, client, manager_headers):
        assert client.delete(f"{BASE}424242", headers=manager_headers).status_code == 404


class TestManagersCannotRemoveTheLastManagerOrThemselves:
    def test_the_only_manager_cannot_deactivate_themselves(self, client, manager_headers):
        own = manager_id(client, manager_headers)
        resp = client.delete(f"{BASE}{own}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "LAST_MANAGER"
        assert me(client, manager_headers).status_code == 200

    def test_the_only_manager_cannot_demote_themselves(self, client, manager_headers):
        own = manager_id(client, manager_headers)
        resp = client.put(f"{BASE}{own}", json={"role": "waiter"}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "LAST_MANAGER"
        assert client.get(f"{BASE}{own}", headers=manager_headers).json()["role"] == "manager"

    def test_a_manager_cannot_deactivate_themselves_even_with_other_managers(self, client, manager_headers, make_user):
        make_user("eleni", role="manager")
        own = manager_id(client, manager_headers)
        resp = client.delete(f"{BASE}{own}", headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "CANNOT_DEACTIVATE_SELF"
        resp = client.put(f"{BASE}{own}", json={"is_active": False}, headers=manager_headers)
        assert resp.json()["code"] == "CANNOT_DEACTIVATE_SELF"

    def test_a_manager_cannot_demote_themselves_even_with_other_managers(self, client, manager_headers, make_user):
        make_user("eleni", role="manager")
        own = manager_id(client, manager_headers)
        resp = client.put(f"{BASE}{own}", json={"role": "waiter"}, headers=manager_headers)
        assert resp.status_code == 409
        assert resp.json()["code"] == "CANNOT_DEMOTE_SELF"

    def test_another_manager_can_be_deactivated_and_demoted(self, client, manager_headers, make_user):
        eleni = make_user("eleni", role="manager")
        kostas = make_user("kostas", role="manager")
        resp = client.put(f"{BASE}{eleni.id}", json={"role": "waiter"}, headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["role"] == "waiter"
        assert client.delete(f"{BASE}{kostas.id}", headers=manager_headers).status_code == 204

    def test_a_manager_may_still_rename_themselves(self, client, manager_headers):
        own = manager_id(client, manager_headers)
        resp = client.put(f"{BASE}{own}", json={"display_name": "The Boss", "role": "manager"}, headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["display_name"] == "The Boss"


class TestPinReset:
    def test_a_pin_reset_revokes_old_tokens_and_the_new_pin_works(self, client, manager_headers, make_user):
        user = make_user("nikos", pin="1234")
        old = login(client, "nikos", "1234")
        tokens = client.post("/api/auth/login", json={"username": "nikos", "pin": "1234"}).json()
        resp = client.post(f"{BASE}{user.id}/pin", json={"pin": "86420"}, headers=manager_headers)
        assert resp.status_code == 200
        assert "pin_hash" not in resp.json()
        revoked = me(client, old)
        assert revoked.status_code == 401
        assert revoked.json()["code"] == "TOKEN_REVOKED"
        assert client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
        assert client.post("/api/auth/login", json={"username": "nikos", "pin": "1234"}).status_code == 401
        assert me(client, login(client, "nikos", "86420")).json()["username"] == "nikos"

    def test_a_pin_reset_clears_a_lockout_and_is_audited(self, client, manager_headers, make_user):
        user = make_user("nikos", pin="1234")
        for _ in range(5):
            client.post("/api/auth/login", json={"username": "nikos", "pin": "0000"})
        assert client.get(f"{BASE}{user.id}", headers=manager_headers).json()["locked_until"] is not None
        resp = client.post(f"{BASE}{user.id}/pin", json={"pin": "5555"}, headers=manager_headers)
        assert resp.json()["locked_until"] is None
        login(client, "nikos", "5555")
        assert "staff.pin_reset" in audit_actions(client, manager_headers, user.id)

    @pytest.mark.parametrize("pin", ["12", "abcd", "123456789", ""])
    def test_an_invalid_pin_is_a_validation_error(self, client, manager_headers, make_user, pin):
        user = make_user("nikos")
        resp = client.post(f"{BASE}{user.id}/pin", json={"pin": pin}, headers=manager_headers)
        assert resp.status_code == 422
        login(client, "nikos", "1234")  # unchanged


class TestUnlock:
    def test_unlock_lets_a_locked_out_user_log_in_at_once(self, client, manager_headers, make_user):
        user = make_user("nikos", pin="1234")
        for _ in range(5):
            client.post("/api/auth/login", json={"username": "nikos", "pin": "0000"})
        assert client.post("/api/auth/login", json={"username": "nikos", "pin": "1234"}).status_code == 429
        resp = client.post(f"{BASE}{user.id}/unlock", headers=manager_headers)
        assert resp.status_code == 200
        assert resp.json()["locked_until"] is None
        login(client, "nikos", "1234")
        assert "staff.unlocked" in audit_actions(client, manager_headers, user.id)


class TestAssistants:
    def test_setting_assistants_shows_in_both_directions(self, client, manager_headers, make_user):
        maria = make_user("maria")
        nikos = make_user("nikos")
        eleni = make_user("eleni")
        resp = client.put(
            f"{BASE}{maria.id}/assistants", json={"assistant_ids": [eleni.id, nikos.id]}, headers=manager_headers
        )
        assert resp.status_code == 200
        assert resp.json() == {"waiter_id": maria.id, "assistant_ids": sorted([nikos.id, eleni.id])}
        got = client.get(f"{BASE}{maria.id}/assistants", headers=manager_headers).json()
        assert got["assistant_ids"] == sorted([nikos.id, eleni.id])
        rows = {u["id"]: u for u in client.get(BASE, headers=manager_headers).json()}
        assert rows[maria.id]["assistant_ids"] == sorted([nikos.id, eleni.id])
        assert rows[nikos.id]["assists"] == [maria.id]
        assert rows[eleni.id]["assists"] == [maria.id]
        assert rows[maria.id]["assists"] == []

    def test_setting_assistants_replaces_the_previous_set(self, client, manager_headers, make_user):
        maria, nikos, eleni = make_user("maria"), make_user("nikos"), make_user("eleni")
        url = f"{BASE}{maria.id}/assistants"
        client.put(url, json={"assistant_ids": [nikos.id]}, headers=manager_headers)
        client.put(url, json={"assistant_ids": [eleni.id, eleni.id]}, headers=manager_headers)
        assert client.get(url, headers=manager_headers).json()["assistant_ids"] == [eleni.id]
        client.put(url, json={"assistant_ids": []}, headers=manager_headers)
        assert client.get(url, headers=manager_headers).json()["assistant_ids"] == []

    def test_assistant_changes_are_audited(self, client, manager_headers, make_user):
        maria, nikos = make_user("maria"), make_user("nikos")
        client.put(f"{BASE}{maria.id}/assistants", json={"assistant_ids": [nikos.id]}, headers=manager_headers)
        events = client.get("/api/audit/", params={"action": "staff.assistants_changed"}, headers=manager_headers)
        assert events.json()[0]["data"] == {"before": [], "after": [nikos.id]}

    def test_a_user_cannot_assist_themselves(self, client, manager_headers, make_user):
        maria = make_user("maria")
        resp = client.put(f"{BASE}{maria.id}/assistants", json={"assistant_ids": [maria.id]}, headers=manager_headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "INVALID_ASSISTANT"

    def test_unknown_or_inactive_assistants_are_refused_and_nothing_changes(self, client, manager_headers, make_user):
        maria, nikos, gone = make_user("maria"), make_user("nikos"), make_user("gone")
        url = f"{BASE}{maria.id}/assistants"
        client.put(url, json={"assistant_ids": [nikos.id]}, headers=manager_headers)
        client.delete(f"{BASE}{gone.id}", headers=manager_headers)
        for ids in ([gone.id], [nikos.id, 987654]):
            resp = client.put(url, json={"assistant_ids": ids}, headers=manager_headers)
            assert resp.status_code == 422
            assert resp.json()["code"] == "INVALID_ASSISTANT"
        assert client.get(url, headers=manager_headers).json()["assistant_ids"] == [nikos.id]

    def test_assistants_of_an_unknown_user_is_404(self, client, manager_headers):
        resp = client.put(f"{BASE}55555/assistants", json={"assistant_ids": []}, headers=manager_headers)
        assert resp.status_code == 404

    @pytest.mark.parametrize("body", [{"assistant_ids": [0]}, {"assistant_ids": [2**64]}, {"assistant_ids": "1"}, {}])
    def test_malformed_assistant_lists_are_validation_errors(self, client, manager_headers, make_user, body):
        maria = make_user("maria")
        resp = client.put(f"{BASE}{maria.id}/assistants", json=body, headers=manager_headers)
        assert resp.status_code == 422

"""GET /api/tables: every table with its live state, in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from tests.conftest import login

BASE = "/api/tables/"


def floor(client, headers, **params):
    resp = client.get(BASE, headers=headers, params=params)
    assert resp.status_code == 200, resp.text
    return {t["number"]: t for t in resp.json()}


class TestTheFloorList:
    def test_any_staff_member_sees_free_tables_in_number_order(self, client, waiter_headers, make_table):
        make_table(12, seats=6, group="Terrace", pos_x=3, pos_y=4)
        make_table(2)
        resp = client.get(BASE, headers=waiter_headers("maria"))
        assert resp.status_code == 200
        tables = resp.json()
        assert [t["number"] for t in tables] == [2, 12]
        t12 = tables[1]
        assert t12["label"] == "T12"
        assert t12["seats"] == 6
        assert t12["group_name"] == "Terrace"
        assert t12["group_id"] is not None
        assert (t12["pos_x"], t12["pos_y"]) == (3, 4)
        assert t12["is_active"] is True
        assert t12["state"] == "free"
        assert t12["order_id"] is None
        assert t12["waiter_id"] is None
        assert t12["assistant_ids"] == []
        assert (t12["total"], t12["paid_total"], t12["due"], t12["item_count"]) == (0, 0, 0, 0)
        assert t12["is_mine"] is False

    def test_no_token_is_401(self, client):
        assert client.get(BASE).status_code == 401

    def test_inactive_tables_are_hidden_unless_a_manager_asks_for_all(self, client, manager_headers, make_table):
        make_table(1)
        make_table(2, is_active=False)
        assert set(floor(client, manager_headers)) == {1}
        everything = floor(client, manager_headers, all="true")
        assert set(everything) == {1, 2}
        assert everything[2]["is_active"] is False

    def test_a_waiter_asking_for_all_tables_is_forbidden(self, client, waiter_headers, make_table):
        make_table(1)
        resp = client.get(BASE, params={"all": "true"}, headers=waiter_headers("maria"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"

    def test_one_table_can_be_read_by_id(self, client, waiter_headers, make_table):
        table = make_table(7)
        resp = client.get(f"{BASE}{table.id}", headers=waiter_headers("maria"))
        assert resp.status_code == 200
        assert resp.json()["number"] == 7

    def test_an_unknown_table_is_404(self, client, manager_headers):
        resp = client.get(f"{BASE}9999", headers=manager_headers)
        assert resp.status_code == 404
        assert resp.json()["code"] == "TABLE_NOT_FOUND"


class TestLiveState:
    def test_an_open_order_shows_waiter_guests_totals_and_opened_at(
        self, client, make_table, make_user, open_order, waiter_headers
    ):
        table = make_table(5)
        maria = make_user("maria", display_name="Maria K.")
        # 2 x 450 + 1 x 1200, a cancelled 999 line that must not count
        order = open_order(table.id, maria.id, [(450, 2), (1200, 1), (999, 3)], guests=3, cancelled=[2])
        t = floor(client, login(client, "maria", "1234"))[5]
        assert t["state"] == "open"
        assert t["order_id"] == order.id
        assert t["waiter_id"] == maria.id
        assert t["waiter_name"] == "Maria K."
        assert t["guests"] == 3
        assert t["total"] == 2100
        assert t["paid_total"] == 0
        assert t["due"] == 2100
        assert t["item_count"] == 3
        opened = datetime.fromisoformat(t["opened_at"])
        assert opened.tzinfo is not None
        assert abs((opened - datetime.now(UTC)).total_seconds()) < 60
        assert t["is_mine"] is True

    def test_a_partly_paid_order_shows_what_is_still_due(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        table = make_table(5)
        maria = make_user("maria")
        open_order(table.id, maria.id, [(450, 2), (1200, 1)], status="partially_paid", paid=[0])
        t = floor(client, manager_headers)[5]
        assert t["state"] == "partially_paid"
        assert (t["total"], t["paid_total"], t["due"]) == (2100, 900, 1200)

    def test_a_paid_order_still_occupies_the_table(self, client, manager_headers, make_table, make_user, open_order):
        table = make_table(5)
        maria = make_user("maria")
        open_order(table.id, maria.id, [(500, 1)], status="paid", paid=[0])
        t = floor(client, manager_headers)[5]
        assert t["state"] == "paid"
        assert t["due"] == 0

    def test_closed_and_cancelled_orders_leave_the_table_free(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        t1, t2 = make_table(1), make_table(2)
        maria = make_user("maria")
        open_order(t1.id, maria.id, [(500, 1)], status="closed", paid=[0])
        open_order(t2.id, maria.id, [(500, 1)], status="cancelled")
        tables = floor(client, manager_headers)
        assert tables[1]["state"] == "free"
        assert tables[2]["state"] == "free"

    def test_is_mine_is_true_for_the_owner_and_their_assistants_only(
        self, client, make_table, make_user, open_order, assign_assistant
    ):
        table = make_table(5)
        maria, nikos, eleni = make_user("maria"), make_user("nikos"), make_user("eleni")
        assign_assistant(maria.id, nikos.id)
        open_order(table.id, maria.id, [(100, 1)])
        mine = {name: floor(client, login(client, name, "1234"))[5] for name in ("maria", "nikos", "eleni")}
        assert mine["maria"]["is_mine"] is True
        assert mine["nikos"]["is_mine"] is True
        assert mine["eleni"]["is_mine"] is False
        assert mine["eleni"]["assistant_ids"] == [nikos.id]
        assert eleni.id not in mine["eleni"]["assistant_ids"]

    def test_a_managers_is_mine_follows_the_same_rule(self, client, manager_headers, make_table, make_user, open_order):
        table = make_table(5)
        maria = make_user("maria")
        open_order(table.id, maria.id, [(100, 1)])
        assert floor(client, manager_headers)[5]["is_mine"] is False

    def test_the_single_table_view_has_the_same_live_state(
        self, client, manager_headers, make_table, make_user, open_order
    ):
        table = make_table(5)
        maria = make_user("maria")
        open_order(table.id, maria.id, [(300, 2)])
        one = client.get(f"{BASE}{table.id}", headers=manager_headers).json()
        assert one == floor(client, manager_headers)[5]
        assert one["total"] == 600


class TestTheFloorRunsAConstantNumberOfQueries:
    def _count_statements(self, app, client, headers):
        statements: list[str] = []

        def _record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = app.state.database.engine
        event.listen(engine, "before_cursor_execute", _record)
        try:
            resp = client.get(BASE, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", _record)
        assert resp.status_code == 200
        return len(resp.json()), statements

    def _fill(self, n, start, make_table, waiters, open_order, assign_assistant):
        for i in range(n):
            table = make_table(start + i, group="Hall" if i % 2 else "Terrace")
            if i % 3 == 0:  # a third of the tables are busy, spread over the waiters
                open_order(table.id, waiters[i % len(waiters)].id, [(250, 2), (800, 1)])

    def test_30_tables_cost_the_same_queries_as_3(
        self, app, client, manager_headers, make_table, make_user, open_order, assign_assistant
    ):
        waiters = [make_user(f"w{i}") for i in range(3)]
        assign_assistant(waiters[0].id, waiters[1].id)
        self._fill(3, 1, make_table, waiters, open_order, assign_assistant)
        n_small, small = self._count_statements(app, client, manager_headers)
        self._fill(27, 100, make_table, waiters, open_order, assign_assistant)
        n_big, big = self._count_statements(app, client, manager_headers)
        assert (n_small, n_big) == (3, 30)
        assert len(big) == len(small), big
        assert len(big) <= 8, small

"""Phones racing each other against a real server: writes serialize, nothing is lost, nothing is locked."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import login
from tests.local_backend.orders.helpers import add_items, line, open_order, pay_amount

PHONE_REQUESTS = 20


@pytest.fixture
def phones(client, make_user, assign_assistant):
    """maria owns the table; kostas assists her."""
    maria, kostas = make_user("maria"), make_user("kostas")
    assign_assistant(maria.id, kostas.id)
    return login(client, "maria", "1234"), login(client, "kostas", "1234")


def no_database_locked(caplog, *responses: httpx.Response) -> None:
    assert not [r for r in caplog.records if "database is locked" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in responses if "database is locked" in r.text]


class TestConcurrentRounds:
    def test_owner_and_assistant_adding_at_once_lose_nothing(
        self, live_server, phones, client, make_table, make_product, caplog
    ):
        caplog.set_level(logging.WARNING)
        maria, kostas = phones
        water = make_product("Water", 100)
        order = open_order(client, maria, make_table().id)
        url = f"{live_server}/api/orders/{order['id']}/items"
        start = threading.Barrier(2 * PHONE_REQUESTS)
        limits = httpx.Limits(max_connections=PHONE_REQUESTS)

        with (
            httpx.Client(headers=maria, limits=limits, timeout=30) as maria_phone,
            httpx.Client(headers=kostas, limits=limits, timeout=30) as kostas_phone,
        ):

            def send(phone: httpx.Client, n: int) -> httpx.Response:
                start.wait()
                return phone.post(url, json={"items": [line(water.id, note=f"#{n}")]})

            with ThreadPoolExecutor(max_workers=2 * PHONE_REQUESTS) as pool:
                futures = [pool.submit(send, maria_phone, n) for n in range(PHONE_REQUESTS)]
                futures += [pool.submit(send, kostas_phone, PHONE_REQUESTS + n) for n in range(PHONE_REQUESTS)]
                responses = [f.result() for f in futures]

            assert [r.status_code for r in responses] == [201] * 2 * PHONE_REQUESTS, [r.text for r in responses]
            detail = maria_phone.get(f"{live_server}/api/orders/{order['id']}").json()

        assert len(detail["items"]) == 2 * PHONE_REQUESTS
        assert sorted(i["note"] for i in detail["items"]) == sorted(f"#{n}" for n in range(2 * PHONE_REQUESTS))
        # Every request got its own round: the writes ran one after another, none overwrote another's count.
        assert detail["rounds"] == 2 * PHONE_REQUESTS
        assert sorted(i["round"] for i in detail["items"]) == list(range(1, 2 * PHONE_REQUESTS + 1))
        assert sorted(r.json()["round"] for r in responses) == list(range(1, 2 * PHONE_REQUESTS + 1))
        no_database_locked(caplog, *responses)


class TestConcurrentPayments:
    def test_two_phones_paying_the_same_item_at_once_pay_it_once(
        self, live_server, phones, client, make_table, make_product, caplog
    ):
        caplog.set_level(logging.WARNING)
        maria, kostas = phones
        order = open_order(client, maria, make_table().id)
        added = add_items(client, maria, order["id"], *[line(make_product(f"Meze {n}", 500 + n).id) for n in range(5)])
        url = f"{live_server}/api/orders/{order['id']}/pay"

        with (
            httpx.Client(headers=maria, timeout=30) as maria_phone,
            httpx.Client(headers=kostas, timeout=30) as kostas_phone,
        ):
            all_responses = []
            for item in added["items"]:  # five separate races, one per item
                start = threading.Barrier(2)

                def send(phone: httpx.Client, item_id: int = item["id"], barrier: threading.Barrier = start):
                    barrier.wait()
                    return phone.post(url, json={"item_ids": [item_id], "method": "card"})

                with ThreadPoolExecutor(max_workers=2) as pool:
                    race = [f.result() for f in [pool.submit(send, maria_phone), pool.submit(send, kostas_phone)]]
                all_responses += race
                assert sorted(r.status_code for r in race) == [201, 409], [r.text for r in race]
                loser = next(r for r in race if r.status_code == 409)
                assert loser.json()["code"] == "ITEM_ALREADY_PAID"

            detail = maria_phone.get(f"{live_server}/api/orders/{order['id']}").json()

        assert len(detail["payments"]) == 5
        assert sorted(p["amount"] for p in detail["payments"]) == [500, 501, 502, 503, 504]
        assert detail["status"] == "paid"
        assert detail["paid_total"] == detail["total"]
        no_database_locked(caplog, *all_responses)

    def test_two_phones_paying_the_last_balance_at_once_pay_it_once(
        self, live_server, phones, client, make_table, make_product, caplog
    ):
        caplog.set_level(logging.WARNING)
        maria, kostas = phones
        lamb = make_product("Lamb", 1500)
        with (
            httpx.Client(headers=maria, timeout=30) as maria_phone,
            httpx.Client(headers=kostas, timeout=30) as kostas_phone,
        ):
            all_responses = []
            for _ in range(5):  # five races, each on a fresh bill of 3000 with 1000 already paid
                order = open_order(client, maria, make_table().id)
                add_items(client, maria, order["id"], line(lamb.id, 2))
                pay_amount(client, maria, order["id"], 1000)
                url = f"{live_server}/api/orders/{order['id']}/payments"
                start = threading.Barrier(2)

                def send(phone: httpx.Client, url: str = url, barrier: threading.Barrier = start) -> httpx.Response:
                    barrier.wait()
                    return phone.post(url, json={"method": "cash", "amount": 2000, "tendered": 2000})

                with ThreadPoolExecutor(max_workers=2) as pool:
                    race = [f.result() for f in [pool.submit(send, maria_phone), pool.submit(send, kostas_phone)]]
                all_responses += race
                assert sorted(r.status_code for r in race) == [201, 409], [r.text for r in race]
                assert next(r for r in race if r.status_code == 409).json()["code"] == "PAYMENT_EXCEEDS_BALANCE"
                detail = maria_phone.get(f"{live_server}/api/orders/{order['id']}").json()
                assert [p["amount"] for p in detail["payments"]] == [1000, 2000]
                assert (detail["status"], detail["due"], detail["paid_total"]) == ("paid", 0, 3000)
        no_database_locked(caplog, *all_responses)

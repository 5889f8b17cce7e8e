"""Allergens: the manager ticks the EU's 14 on a product; they are stored once each, in the canonical order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.menu.schemas import ALLERGENS
from tests.local_backend.menu.conftest import audit_events

PRODUCTS = "/api/products/"


def _put(client: TestClient, headers: dict[str, str], product_id: int, body: dict[str, Any]) -> Any:
    return client.put(f"{PRODUCTS}{product_id}", json=body, headers=headers)


class TestTheVocabulary:
    def test_it_is_the_eus_fourteen_in_the_menu_order(self) -> None:
        assert ALLERGENS == (
            "gluten",
            "crustaceans",
            "eggs",
            "fish",
            "peanuts",
            "soybeans",
            "milk",
            "nuts",
            "celery",
            "mustard",
            "sesame",
            "sulphites",
            "lupin",
            "molluscs",
        )


class TestCreatingWithAllergens:
    def test_a_product_is_created_with_its_allergens_and_reads_them_back(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten", "milk"])
        assert pie["allergens"] == ["gluten", "milk"]
        fetched = client.get(f"{PRODUCTS}{pie['id']}", headers=manager_headers).json()
        assert fetched["allergens"] == ["gluten", "milk"]
        listed = {p["id"]: p for p in client.get(PRODUCTS, headers=manager_headers).json()}
        assert listed[pie["id"]]["allergens"] == ["gluten", "milk"]

    def test_a_product_without_allergens_has_an_empty_list(self, create_product: Callable[..., dict[str, Any]]) -> None:
        assert create_product("Water")["allergens"] == []

    def test_they_are_stored_in_the_canonical_order_and_once_each(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        salad = create_product("Caesar salad", allergens=["mustard", "milk", "gluten", "milk", "fish", "eggs"])
        assert salad["allergens"] == ["gluten", "eggs", "fish", "milk", "mustard"]
        fetched = client.get(f"{PRODUCTS}{salad['id']}", headers=manager_headers).json()
        assert fetched["allergens"] == ["gluten", "eggs", "fish", "milk", "mustard"]

    def test_all_fourteen_can_be_ticked(self, create_product: Callable[..., dict[str, Any]]) -> None:
        assert create_product("Everything", allergens=list(reversed(ALLERGENS)))["allergens"] == list(ALLERGENS)

    def test_creation_audits_the_allergens(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["milk", "gluten"])
        (event,) = audit_events(client, manager_headers, "menu.product_created")
        assert event["entity_id"] == pie["id"]
        assert event["data"]["allergens"] == ["gluten", "milk"]


class TestUpdatingAllergens:
    def test_an_update_replaces_them_and_is_audited_with_old_and_new(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten"])
        resp = _put(client, manager_headers, pie["id"], {"allergens": ["milk", "eggs", "gluten"]})
        assert resp.status_code == 200, resp.text
        assert resp.json()["allergens"] == ["gluten", "eggs", "milk"]
        assert client.get(f"{PRODUCTS}{pie['id']}", headers=manager_headers).json()["allergens"] == [
            "gluten",
            "eggs",
            "milk",
        ]
        (event,) = audit_events(client, manager_headers, "menu.product_updated")
        assert event["data"]["changes"]["allergens"] == [["gluten"], ["gluten", "eggs", "milk"]]

    def test_an_update_without_them_leaves_them_unchanged(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten", "milk"])
        resp = _put(client, manager_headers, pie["id"], {"base_price": 900})
        assert resp.status_code == 200, resp.text
        assert resp.json()["allergens"] == ["gluten", "milk"]

    def test_an_empty_list_clears_them(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten"])
        resp = _put(client, manager_headers, pie["id"], {"allergens": []})
        assert resp.status_code == 200, resp.text
        assert resp.json()["allergens"] == []

    def test_the_same_set_in_another_order_is_no_change(
        self, client: TestClient, manager_headers: dict[str, str], create_product: Callable[..., dict[str, Any]]
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten", "milk"])
        resp = _put(client, manager_headers, pie["id"], {"allergens": ["milk", "gluten", "milk"]})
        assert resp.status_code == 200, resp.text
        assert audit_events(client, manager_headers, "menu.product_updated") == []


class TestRefusedAllergens:
    @pytest.mark.parametrize(
        "allergens",
        [["gluten", "shellfish"], ["Gluten"], ["tree nuts"], [""], [1], "gluten", None],
        ids=["unknown", "capitalised", "not-a-code", "empty", "number", "not-a-list", "null"],
    )
    def test_anything_but_a_list_of_known_codes_is_a_validation_error(
        self,
        client: TestClient,
        manager_headers: dict[str, str],
        create_product: Callable[..., dict[str, Any]],
        allergens: Any,
    ) -> None:
        pie = create_product("Spinach pie", allergens=["gluten"])
        resp = _put(client, manager_headers, pie["id"], {"allergens": allergens})
        assert resp.status_code == 422, resp.text
        assert resp.json()["code"] == "VALIDATION_ERROR"
        assert client.get(f"{PRODUCTS}{pie['id']}", headers=manager_headers).json()["allergens"] == ["gluten"]

    def test_an_unknown_code_refuses_the_creation(
        self, client: TestClient, manager_headers: dict[str, str], create_category: Callable[..., dict[str, Any]]
    ) -> None:
        category = create_category()
        body = {"name": "Shrimp", "base_price": 1500, "category_id": category["id"], "allergens": ["shellfish"]}
        resp = client.post(PRODUCTS, json=body, headers=manager_headers)
        assert resp.status_code == 422, resp.text
        assert resp.json()["code"] == "VALIDATION_ERROR"
        assert "allergens" in resp.json()["detail"]

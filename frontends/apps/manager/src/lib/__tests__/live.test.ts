import type { Table } from "@tavolo/api";
import { QueryClient } from "@tanstack/react-query";
import { beforeEach, describe, expect, it } from "vitest";
import { applyEvent } from "../live";
import { keys } from "../query-keys";

function stale(client: QueryClient, key: readonly unknown[]): boolean {
  return client.getQueryState(key)?.isInvalidated ?? false;
}

describe("applyEvent", () => {
  let client: QueryClient;
  const seeded = [
    keys.tables,
    keys.order(7),
    keys.orderHistory(7),
    keys.order(8),
    keys.orders,
    keys.products,
    keys.categories,
    keys.alerts,
    keys.printerStatus,
    keys.license,
    keys.staff,
  ];

  beforeEach(() => {
    client = new QueryClient();
    for (const key of seeded) client.setQueryData(key, "cached");
  });

  it("puts a snapshot's floor in place and marks everything else stale", () => {
    const tables = [{ id: 1 }] as unknown as Table[];
    applyEvent(client, { type: "snapshot", data: { tables } });
    expect(client.getQueryData(keys.tables)).toBe(tables);
    expect(stale(client, keys.tables)).toBe(false);
    expect(stale(client, keys.license)).toBe(true);
    expect(stale(client, keys.products)).toBe(true);
  });

  it("refreshes the order an order event names, its history and the order lists, not other orders", () => {
    applyEvent(client, { type: "order.item_cancelled", data: { order_id: 7 } });
    expect(stale(client, keys.order(7))).toBe(true);
    expect(stale(client, keys.orderHistory(7))).toBe(true);
    expect(stale(client, keys.orders)).toBe(true);
    expect(stale(client, keys.order(8))).toBe(false);
    expect(stale(client, keys.products)).toBe(false);
  });

  it("refreshes the menu on menu.changed and nothing else", () => {
    applyEvent(client, { type: "menu.changed", data: {} });
    expect(stale(client, keys.products)).toBe(true);
    expect(stale(client, keys.categories)).toBe(true);
    expect(stale(client, keys.tables)).toBe(false);
  });

  it("refreshes printer alerts and status on printer events, and the license on license.changed", () => {
    applyEvent(client, { type: "printer.alerts_changed" });
    expect(stale(client, keys.alerts)).toBe(true);
    expect(stale(client, keys.printerStatus)).toBe(true);
    expect(stale(client, keys.license)).toBe(false);
    applyEvent(client, { type: "license.changed" });
    expect(stale(client, keys.license)).toBe(true);
  });
});

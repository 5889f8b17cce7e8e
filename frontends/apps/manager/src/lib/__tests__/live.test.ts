import type { Table } from "@tavolo/api";
import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyEvent, JOB_SETTLE_MS } from "../live";
import { keys } from "../query-keys";

function stale(client: QueryClient, key: readonly unknown[]): boolean {
  return client.getQueryState(key)?.isInvalidated ?? false;
}

describe("applyEvent", () => {
  let client: QueryClient;
  const seeded = [
    keys.tables,
    [...keys.tables, "all"],
    keys.tableGroups,
    keys.order(7),
    keys.orderHistory(7),
    keys.order(8),
    keys.orders,
    keys.products,
    keys.categories,
    keys.alerts,
    keys.printerStatus,
    keys.printers,
    [...keys.printJobs, "log", {}],
    keys.screens,
    keys.settings,
    keys.siteInfo,
    keys.license,
    keys.staff,
    [...keys.stock, "items"],
    [...keys.stock, "forecast"],
    [...keys.inventory, "suppliers"],
    keys.lowStock,
  ];

  beforeEach(() => {
    client = new QueryClient();
    for (const key of seeded) client.setQueryData(key, "cached");
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("puts a snapshot's floor in place and marks everything else stale", () => {
    const tables = [{ id: 1 }] as unknown as Table[];
    applyEvent(client, { type: "snapshot", data: { tables } });
    expect(client.getQueryData(keys.tables)).toBe(tables);
    expect(stale(client, keys.tables)).toBe(false);
    // The list of every table (deactivated ones too) is not what the snapshot carries.
    expect(stale(client, [...keys.tables, "all"])).toBe(true);
    expect(stale(client, keys.license)).toBe(true);
    expect(stale(client, keys.products)).toBe(true);
  });

  it("refreshes the floor on table.changed, and the sections too when a manager changed the layout", () => {
    applyEvent(client, { type: "table.changed", data: { order_id: 7, table_id: 1 } });
    expect(stale(client, keys.tables)).toBe(true);
    expect(stale(client, [...keys.tables, "all"])).toBe(true);
    expect(stale(client, keys.tableGroups)).toBe(false);
    applyEvent(client, { type: "table.changed", data: { change: "moved" } });
    expect(stale(client, keys.tableGroups)).toBe(true);
  });

  it("refreshes the settings and the site's name and currency on settings.updated", () => {
    applyEvent(client, { type: "settings.updated" });
    expect(stale(client, keys.settings)).toBe(true);
    expect(stale(client, keys.siteInfo)).toBe(true);
    expect(stale(client, keys.license)).toBe(false);
  });

  it("refreshes a printer's status and the printers list when its state changed, not the alerts", () => {
    applyEvent(client, { type: "printer.status_changed" });
    expect(stale(client, keys.printerStatus)).toBe(true);
    expect(stale(client, keys.printers)).toBe(true);
    expect(stale(client, keys.alerts)).toBe(false);
  });

  it("reads the print log and queue lengths again once per burst of job changes", () => {
    vi.useFakeTimers();
    const invalidate = vi.spyOn(client, "invalidateQueries");
    // pending, printing, printed
    for (let seq = 1; seq <= 3; seq++) applyEvent(client, { type: "printer.job_changed", seq, data: { order_id: 7 } });
    expect(stale(client, [...keys.printJobs, "log", {}])).toBe(false);
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(stale(client, [...keys.printJobs, "log", {}])).toBe(true);
    expect(stale(client, keys.printerStatus)).toBe(true);
    expect(stale(client, keys.alerts)).toBe(false);
    expect(invalidate).toHaveBeenCalledTimes(2);
    applyEvent(client, { type: "printer.job_changed" });
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(invalidate).toHaveBeenCalledTimes(4);
  });

  it("reads the print log again after an order event that queued tickets, not after any order event", () => {
    vi.useFakeTimers();
    applyEvent(client, { type: "order.opened", data: { order_id: 7 } });
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(stale(client, [...keys.printJobs, "log", {}])).toBe(false);
    applyEvent(client, { type: "order.items_added", data: { order_id: 7 } });
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(stale(client, [...keys.printJobs, "log", {}])).toBe(true);
  });

  it("refreshes the kitchen screens when one was paired, unpaired or revoked", () => {
    applyEvent(client, { type: "kitchen.screens_changed", data: { change: "paired" } });
    expect(stale(client, keys.screens)).toBe(true);
    expect(stale(client, keys.tables)).toBe(false);
  });

  it("refreshes the order an order event names, its history and the order lists, not other orders", () => {
    applyEvent(client, { type: "order.item_cancelled", data: { order_id: 7 } });
    expect(stale(client, keys.order(7))).toBe(true);
    expect(stale(client, keys.orderHistory(7))).toBe(true);
    expect(stale(client, keys.orders)).toBe(true);
    expect(stale(client, keys.order(8))).toBe(false);
    expect(stale(client, keys.products)).toBe(false);
  });

  it("refreshes the menu and the inventory on menu.changed (a stock 86 is one), and nothing else", () => {
    applyEvent(client, { type: "menu.changed", data: {} });
    expect(stale(client, keys.products)).toBe(true);
    expect(stale(client, keys.categories)).toBe(true);
    expect(stale(client, [...keys.stock, "items"])).toBe(true);
    expect(stale(client, keys.tables)).toBe(false);
    expect(stale(client, keys.orders)).toBe(false);
  });

  it("refreshes the stock lists and the low-stock alerts when an item runs low", () => {
    applyEvent(client, { type: "inventory.low_stock", data: {} });
    expect(stale(client, [...keys.stock, "items"])).toBe(true);
    expect(stale(client, [...keys.stock, "forecast"])).toBe(true);
    expect(stale(client, keys.lowStock)).toBe(true);
    expect(stale(client, keys.products)).toBe(false);
  });

  it("reads the stock again once per burst of sales, without the suppliers or the low-stock alerts", () => {
    vi.useFakeTimers();
    const invalidate = vi.spyOn(client, "invalidateQueries");
    applyEvent(client, { type: "order.opened", data: { order_id: 7 } });
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(stale(client, [...keys.stock, "items"])).toBe(false);
    for (const type of ["order.items_added", "order.items_added", "order.item_cancelled"]) {
      applyEvent(client, { type, data: { order_id: 7 } });
    }
    expect(stale(client, [...keys.stock, "items"])).toBe(false);
    vi.advanceTimersByTime(JOB_SETTLE_MS);
    expect(stale(client, [...keys.stock, "items"])).toBe(true);
    expect(stale(client, [...keys.stock, "forecast"])).toBe(true);
    expect(stale(client, [...keys.inventory, "suppliers"])).toBe(false);
    expect(stale(client, keys.lowStock)).toBe(false);
    const stockCalls = invalidate.mock.calls.filter(([filters]) => filters?.queryKey === keys.stock);
    expect(stockCalls).toHaveLength(1);
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

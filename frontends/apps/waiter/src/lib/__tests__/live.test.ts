import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// A WebSocket the test drives: what the appliance would send arrives through `deliver`.
class FakeSocket {
  static last: FakeSocket | null = null;
  url: string;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;
  constructor(url: string) {
    this.url = url;
    FakeSocket.last = this;
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  close() {
    this.closed = true;
  }
}

describe("live events", () => {
  beforeEach(() => {
    vi.resetModules();
    localStorage.clear();
    vi.stubGlobal("WebSocket", FakeSocket);
    localStorage.setItem("tavolo.access", "access-token");
    localStorage.setItem("tavolo.refresh", "refresh-token");
    localStorage.setItem(
      "tavolo.user",
      JSON.stringify({ id: 7, username: "maria", display_name: "Maria", role: "waiter", is_active: true, created_at: "" }),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("puts the snapshot's floor in the cache, refreshes what events touch and stops polling while up", async () => {
    const live = await import("../live");
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    const stop = live.startLive(queryClient);
    const socket = FakeSocket.last;
    expect(socket?.url).toContain("/ws/events?token=access-token");
    expect(live.liveStore.get().connected).toBe(false);

    socket?.deliver({ type: "snapshot", epoch: "e1", seq: 4, data: { tables: [{ id: 1, number: 1, state: "free" }] } });
    expect(live.liveStore.get().connected).toBe(true);
    expect(queryClient.getQueryData(["tables"])).toEqual([{ id: 1, number: 1, state: "free" }]);

    socket?.deliver({ type: "table.changed", seq: 5, data: { table_id: 1, order_id: 9, status: "open" } });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["tables"] });
    socket?.deliver({ type: "order.items_ready", seq: 6, data: { table_id: 1, order_id: 9, status: "open" } });
    expect(live.readyStore.get()).toMatchObject([{ orderId: 9, tableId: 1 }]);
    stop();
  });

  it("reads an order again when one of its courses was fired (on this phone or another)", async () => {
    const live = await import("../live");
    const queryClient = new QueryClient();
    // Screens key an order by the id from the route (a string) or from the server (a number).
    for (const key of [["order", 9], ["order", "9"], ["order", 10]]) {
      queryClient.setQueryData(key, { id: key[1] });
    }
    const stop = live.startLive(queryClient);
    FakeSocket.last?.deliver({ type: "snapshot", epoch: "e1", seq: 1, data: { tables: [] } });
    FakeSocket.last?.deliver({
      type: "order.course_fired",
      seq: 2,
      data: { order_id: 9, table_id: 1, status: "open", course: 2, item_ids: [31, 32] },
    });
    const stale = (key: unknown[]) => queryClient.getQueryState(key)?.isInvalidated;
    expect([stale(["order", 9]), stale(["order", "9"]), stale(["order", 10])]).toEqual([true, true, false]);
    stop();
  });

  it("reads the license again when it changed, and after a snapshot (changes may have been missed)", async () => {
    const live = await import("../live");
    const queryClient = new QueryClient();
    queryClient.setQueryData(["license"], { state: "active" });
    const stale = () => queryClient.getQueryState(["license"])?.isInvalidated;
    const stop = live.startLive(queryClient);
    FakeSocket.last?.deliver({ type: "snapshot", epoch: "e1", seq: 1, data: { tables: [] } });
    expect(stale()).toBe(true);
    queryClient.setQueryData(["license"], { state: "active" });
    expect(stale()).toBe(false);
    FakeSocket.last?.deliver({ type: "order.opened", seq: 2, data: { order_id: 9, table_id: 1 } });
    expect(stale()).toBe(false);
    FakeSocket.last?.deliver({ type: "license.changed", seq: 3, data: { state: "locked", code: "LICENSE_LOCKED" } });
    expect(stale()).toBe(true);
    stop();
  });

  it("reads the restaurant's name and currency again when a manager changed the settings", async () => {
    const live = await import("../live");
    const queryClient = new QueryClient();
    const seed = () => {
      for (const key of [["site-info"], ["table-groups"], ["license"]]) queryClient.setQueryData(key, "cached");
    };
    const stale = (key: string) => queryClient.getQueryState([key])?.isInvalidated;
    const stop = live.startLive(queryClient);
    FakeSocket.last?.deliver({ type: "snapshot", epoch: "e1", seq: 1, data: { tables: [] } });
    seed();
    FakeSocket.last?.deliver({ type: "table.changed", seq: 2, data: { order_id: 9, table_id: 1, status: "open" } });
    expect([stale("site-info"), stale("table-groups")]).toEqual([false, false]);
    FakeSocket.last?.deliver({ type: "settings.updated", seq: 3, data: { fields: ["currency"] } });
    expect([stale("site-info"), stale("license")]).toEqual([true, false]);
    FakeSocket.last?.deliver({ type: "table.changed", seq: 4, data: { change: "section_updated", group_id: 2 } });
    expect(stale("table-groups")).toBe(true);
    stop();
  });

  it("reads an order's UPI QRs again when one was asked for or paid elsewhere (a guest paying their share)", async () => {
    const live = await import("../live");
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    const stop = live.startLive(queryClient);
    const socket = FakeSocket.last;
    socket?.deliver({ type: "snapshot", epoch: "e1", seq: 1, data: { tables: [] } });
    socket?.deliver({ type: "upi.requested", seq: 2, data: { order_id: 9, table_id: 1, status: "pending" } });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["upi-requests", 9] });
    stop();
  });

  it("reconnects after a drop and resumes from the last event it applied", async () => {
    vi.useFakeTimers();
    const live = await import("../live");
    const stop = live.startLive(new QueryClient());
    const first = FakeSocket.last;
    first?.deliver({ type: "snapshot", epoch: "e1", seq: 4, data: { tables: [] } });
    first?.deliver({ type: "printer.alerts_changed", seq: 5, data: {} });
    first?.onclose?.({ code: 1006 });
    expect(live.liveStore.get().connected).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(FakeSocket.last).not.toBe(first);
    expect(FakeSocket.last?.url).toContain("since=e1%3A5");
    stop();
    vi.useRealTimers();
  });
});

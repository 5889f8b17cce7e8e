// What the guest events on /ws/events do on a waiter's phone: the pending list is read again, a call is kept
// (one per table and kind) and the phone vibrates.
import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

class FakeSocket {
  static last: FakeSocket | null = null;
  url: string;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(url: string) {
    this.url = url;
    FakeSocket.last = this;
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  close() {}
}

describe("guest events", () => {
  beforeEach(() => {
    vi.resetModules();
    localStorage.clear();
    vi.stubGlobal("WebSocket", FakeSocket);
    localStorage.setItem("tavolo.access", "access-token");
    localStorage.setItem("tavolo.refresh", "refresh-token");
    localStorage.setItem("tavolo.user", JSON.stringify({ id: 7, username: "maria", display_name: "Maria", role: "waiter" }));
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("refresh the pending guest orders, keep calls until dismissed and vibrate", async () => {
    const vibrate = vi.fn();
    vi.stubGlobal("navigator", { ...navigator, vibrate });
    const live = await import("../../../lib/live");
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    const stop = live.startLive(queryClient);
    const socket = FakeSocket.last;

    socket?.deliver({ type: "guest.submitted", seq: 1, data: { submission_id: 4, table_id: 3, table_label: "T3" } });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["guest-submissions"] });
    expect(vibrate).toHaveBeenCalledTimes(1);
    invalidate.mockClear();
    socket?.deliver({ type: "guest.submission_changed", seq: 2, data: { submission_id: 4, table_id: 3, status: "accepted" } });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["guest-submissions"] });

    socket?.deliver({ type: "guest.call", seq: 3, data: { table_id: 3, table_label: "T3", kind: "bill" } });
    socket?.deliver({ type: "guest.call", seq: 4, data: { table_id: 3, table_label: "T3", kind: "waiter" } });
    socket?.deliver({ type: "guest.call", seq: 5, data: { table_id: 3, table_label: "T3", kind: "bill" } });
    expect(live.guestCallStore.get()).toMatchObject([
      { tableId: 3, tableLabel: "T3", kind: "waiter" },
      { tableId: 3, tableLabel: "T3", kind: "bill" },
    ]);
    expect(vibrate).toHaveBeenCalledTimes(4);
    live.dismissGuestCall({ tableId: 3, kind: "bill" });
    expect(live.guestCallStore.get()).toMatchObject([{ kind: "waiter" }]);
    stop();
  });

  it("read the pending guest orders again when one of their tables changes hands, not for other tables", async () => {
    const live = await import("../../../lib/live");
    const queryClient = new QueryClient();
    const key = ["guest-submissions", "pending"];
    queryClient.setQueryData(key, [{ id: 4, table_id: 3 }]);
    const stop = live.startLive(queryClient);
    const socket = FakeSocket.last;
    socket?.deliver({ type: "table.changed", seq: 1, data: { table_id: 8, order_id: 9, status: "open" } });
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(false);
    socket?.deliver({ type: "table.changed", seq: 2, data: { table_id: 3, order_id: 10, status: "open" } });
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(true);
    stop();
  });
});

// The outbox against a fake appliance behind `fetch`: each test loads fresh modules (the outbox is a module
// singleton), so a reload of the app is just another load().
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeAppliance, USER, macrotask, settle, signInStored } from "./fake-appliance";

let server: FakeAppliance;

/** Start the app's modules afresh (a reload); the api client binds the `fetch` stubbed here. */
async function load(fetchImpl: typeof fetch = server.fetch) {
  vi.resetModules();
  vi.stubGlobal("fetch", fetchImpl);
  const outbox = await import("../outbox");
  const connection = await import("../connection");
  const session = await import("../session");
  // The same module instance as the outbox's (resetModules gives every load its own).
  const { ApiError } = await import("@tavolo/api");
  return { ...outbox, ...connection, ...session, ApiError };
}

/** Move the clock, letting the sender and the health check run on the way. */
async function wait(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

const items = (order: number | "{order}", orderRef: string, name: string) => ({
  kind: "items" as const,
  orderRef,
  tableId: 4,
  path: `/api/orders/${order}/items`,
  body: { items: [{ product_id: 1, quantity: 1, note: name }] },
  label: `Send ${name} · T4`,
});

const pay = (order: number) => ({
  kind: "pay" as const,
  orderRef: String(order),
  tableId: 4,
  path: `/api/orders/${order}/pay`,
  body: { item_ids: [1], method: "cash" },
  label: "Pay · T4",
});

const fire = (order: number, course: number) => ({
  kind: "fire" as const,
  orderRef: String(order),
  tableId: 4,
  path: `/api/orders/${order}/fire`,
  body: { course },
  label: `Fire course ${course} · T4`,
});

const open = (tableId: number) => ({
  kind: "open" as const,
  orderRef: "",
  tableId,
  path: "/api/orders/",
  body: { table_id: tableId, guests: 2 },
  label: `Open T${tableId}`,
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  localStorage.clear();
  signInStored();
  server = new FakeAppliance();
});

afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("a write while the appliance answers", () => {
  it("is sent at once and resolves with the server's data", async () => {
    const { submit, outboxStore } = await load();
    const result = await submit(items(7, "7", "soup"));
    expect(result).toEqual({ status: "done", data: { order_id: 7, items: [] } });
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied).toHaveLength(1);
  });

  it("is removed and rejects with the reason when refused", async () => {
    const { submit, outboxStore } = await load();
    await expect(submit(items(99, "99", "soup"))).rejects.toMatchObject({ status: 404, code: "ORDER_NOT_FOUND" });
    expect(outboxStore.get()).toEqual([]);
  });

  it("tells the listeners after each success", async () => {
    const { submit, onSettled } = await load();
    const settled = vi.fn();
    onSettled(settled);
    await submit(items(7, "7", "soup"));
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ orderRef: "7" }), { order_id: 7, items: [] });
  });
});

describe("writes queued while the appliance is unreachable", () => {
  it("are replayed in order with the keys they were queued with", async () => {
    const { submit, outboxStore, connectionStore, resolveOrderRef } = await load();
    server.online = false;

    const opened = await submit(open(4));
    expect(opened.status).toBe("queued");
    expect(connectionStore.get().reachable).toBe(false);
    const tmpRef = opened.status === "queued" ? opened.entry.orderRef : "";
    expect(tmpRef).toMatch(/^tmp-/);
    const first = await submit(items("{order}", tmpRef, "soup"));
    const second = await submit(items(7, "7", "wine"));
    const third = await submit(items("{order}", tmpRef, "bread"));
    expect([first.status, second.status, third.status]).toEqual(["queued", "queued", "queued"]);
    const keys = outboxStore.get().map((entry) => entry.id);
    expect(keys).toHaveLength(4);

    await wait(10_000); // still down: nothing is lost, nothing reordered
    expect(outboxStore.get().map((entry) => entry.id)).toEqual(keys);

    server.online = true;
    await wait(3_000); // the health check notices, and the replay starts at once
    expect(connectionStore.get().reachable).toBe(true);
    expect(outboxStore.get()).toEqual([]);

    const orderId = resolveOrderRef(tmpRef);
    expect(orderId).toBe(100);
    expect(server.applied.map((write) => [write.key, write.path])).toEqual([
      [keys[0], "/api/orders/"],
      [keys[1], "/api/orders/100/items"],
      [keys[2], "/api/orders/7/items"],
      [keys[3], "/api/orders/100/items"],
    ]);
  });

  it("are sent by one sender at a time", async () => {
    let inFlight = 0;
    let most = 0;
    const { submit } = await load(async (input, init) => {
      // Writes only: the health check may run beside a write.
      const write = input instanceof Request && input.method === "POST";
      if (write) inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await macrotask();
        return await server.fetch(input, init);
      } finally {
        if (write) inFlight -= 1;
      }
    });
    server.online = false;
    await submit(items(7, "7", "a"));
    await submit(items(7, "7", "b"));
    await submit(items(8, "8", "c"));
    server.online = true;
    await wait(3_000);
    expect(server.applied.map((write) => (write.body as { items: { note: string }[] }).items[0]?.note)).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(most).toBe(1);
  });

  it("retry with growing pauses on server errors, and at once on retryNow()", async () => {
    const { submit, outboxStore, retryNow } = await load();
    server.forced.set("/api/orders/7/items", { status: 503, body: { detail: "Busy", code: "BUSY" } });
    const result = await submit(items(7, "7", "soup"));
    expect(result.status).toBe("queued");
    const attempts = () => server.received.length;
    expect(attempts()).toBe(1);
    await wait(999);
    expect(attempts()).toBe(1);
    await wait(1);
    expect(attempts()).toBe(2); // 1 s
    await wait(2_000);
    expect(attempts()).toBe(3); // 2 s
    await wait(3_999);
    expect(attempts()).toBe(3);
    await wait(1);
    expect(attempts()).toBe(4); // 4 s
    server.forced.clear();
    retryNow();
    await settle();
    expect(attempts()).toBe(5);
    expect(outboxStore.get()).toEqual([]);
    expect(new Set(server.received.map((write) => write.key)).size).toBe(1);
  });

  it("caps the pause at 30 s", async () => {
    const { submit } = await load();
    server.forced.set("/api/orders/7/items", { status: 502, body: {} });
    await submit(items(7, "7", "soup"));
    await wait(1_000 + 2_000 + 4_000 + 8_000 + 16_000); // attempts 2..6
    expect(server.received).toHaveLength(6);
    await wait(29_999);
    expect(server.received).toHaveLength(6);
    await wait(1);
    expect(server.received).toHaveLength(7);
  });
});

describe("a write whose response was lost", () => {
  it("is replayed with the same key and done once", async () => {
    const { submit, outboxStore } = await load();
    server.loseResponses = 1;
    const result = await submit(items(7, "7", "soup"));
    expect(result.status).toBe("queued");
    expect(server.applied).toHaveLength(1); // it did arrive

    await wait(3_000);
    expect(outboxStore.get()).toEqual([]);
    expect(server.received).toHaveLength(2);
    expect(server.received[0]?.key).toBe(server.received[1]?.key);
    expect(server.applied).toHaveLength(1);
  });

  it("of an open still gives the real order id", async () => {
    const { submit, resolveOrderRef, outboxStore } = await load();
    server.loseResponses = 1;
    const opened = await submit(open(5));
    const ref = opened.status === "queued" ? opened.entry.orderRef : "";
    await submit(items("{order}", ref, "soup"));
    await wait(3_000);
    expect(outboxStore.get()).toEqual([]);
    expect(resolveOrderRef(ref)).toBe(100);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/", "/api/orders/100/items"]);
  });
});

describe("a refusal during replay", () => {
  it("fails that entry, holds the rest of its order and lets other orders go on", async () => {
    const { submit, outboxStore, discard, blockedEntries } = await load();
    server.online = false;
    await submit(items(7, "7", "soup"));
    await submit(pay(7));
    await submit(items(8, "8", "wine"));
    server.forced.set("/api/orders/7/items", {
      status: 409,
      body: { detail: "The order is not open", code: "ORDER_NOT_OPEN" },
    });

    server.online = true;
    await wait(3_000);
    const [failed, held, ...rest] = outboxStore.get();
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({
      state: "failed",
      error: { status: 409, code: "ORDER_NOT_OPEN", detail: "The order is not open" },
    });
    expect(held).toMatchObject({ kind: "pay", state: "queued" });
    expect(blockedEntries(outboxStore.get()).get(held?.id ?? "")).toBe("after-failed");
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items"]);

    // The waiter reads it and discards it: the held payment goes.
    discard(failed?.id ?? "");
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items", "/api/orders/7/pay"]);
  });

  it("of an open because the table was taken meanwhile fails it and its items, and never joins that order", async () => {
    const { submit, outboxStore, discard, resolveOrderRef } = await load();
    server.online = false;
    const opened = await submit(open(4));
    const ref = opened.status === "queued" ? opened.entry.orderRef : "";
    await submit(items("{order}", ref, "soup"));
    await submit(items(8, "8", "wine"));
    const someoneElses = server.openOrderOn(4);

    server.online = true;
    await wait(3_000);
    const [openEntry, follower, ...rest] = outboxStore.get();
    expect(rest).toEqual([]);
    expect(openEntry).toMatchObject({ state: "failed", error: { code: "TABLE_HAS_OPEN_ORDER" } });
    expect(openEntry?.error?.detail).toMatch(/Someone else opened this table/);
    expect(follower).toMatchObject({ state: "failed", error: { code: "ORDER_NOT_OPENED" } });
    expect(resolveOrderRef(ref)).toBeNull();
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items"]);
    expect(server.received.some((write) => write.path === `/api/orders/${someoneElses}/items`)).toBe(false);

    // Dropping the open drops what was waiting for its id.
    discard(openEntry?.id ?? "");
    expect(outboxStore.get()).toEqual([]);
  });
});

describe("a refusal because of the license", () => {
  const locked = {
    status: 423,
    body: { detail: "The license is locked: Unpaid invoice. Open bills can still be settled.", code: "LICENSE_LOCKED" },
  };

  it("keeps the write as failed in words naming the license, never retries it, and sends it again on request", async () => {
    const { submit, outboxStore, isLicenseRefusal, sendAgain, blockedEntries } = await load();
    server.online = false;
    const opened = await submit(open(4));
    const ref = opened.status === "queued" ? opened.entry.orderRef : "";
    await submit(items("{order}", ref, "soup"));
    await submit(pay(7));
    server.forced.set("/api/orders/", locked);

    server.online = true;
    await wait(3_000);
    const [openEntry, follower, ...rest] = outboxStore.get();
    expect(rest).toEqual([]); // settling is never refused for the license: the payment went
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/7/pay"]);
    expect(openEntry).toMatchObject({ kind: "open", state: "failed", error: { status: 423, code: "LICENSE_LOCKED" } });
    expect(openEntry?.error?.detail).toBe(
      "New orders are paused by the license. The license is locked: Unpaid invoice. Open bills can still be " +
        "settled. It is kept on this phone: send it again once the license is fixed.",
    );
    expect(openEntry && isLicenseRefusal(openEntry)).toBe(true);
    // Its items wait for it (they are not failed as orphans of an open that can never go).
    expect(follower).toMatchObject({ kind: "items", state: "queued" });
    expect(blockedEntries(outboxStore.get()).get(follower?.id ?? "")).toBe("after-failed");

    const tries = server.received.filter((write) => write.path === "/api/orders/").length;
    await wait(10 * 60_000);
    expect(server.received.filter((write) => write.path === "/api/orders/")).toHaveLength(tries);
    expect(outboxStore.get()).toHaveLength(2);

    // The license is fixed: sent again with the keys they were queued with, the items after the open.
    server.forced.clear();
    sendAgain(openEntry?.id ?? "");
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.slice(1).map((write) => [write.path, write.key])).toEqual([
      ["/api/orders/", openEntry?.id],
      ["/api/orders/100/items", follower?.id],
    ]);
  });

  it("of a write sent at once hands the refusal to the screen, which keeps its draft", async () => {
    const { submit, outboxStore } = await load();
    const ended = { detail: "The trial has ended", code: "TRIAL_ENDED" };
    server.forced.set("/api/orders/7/items", { status: 402, body: ended });
    await expect(submit(items(7, "7", "soup"))).rejects.toMatchObject({ status: 402, code: "TRIAL_ENDED" });
    expect(outboxStore.get()).toEqual([]);
  });

  it("is not what other refusals are: they stay failed until discarded", async () => {
    const { submit, outboxStore, isLicenseRefusal } = await load();
    server.online = false;
    await submit(items(7, "7", "soup"));
    server.forced.set("/api/orders/7/items", { status: 409, body: { detail: "closed", code: "ORDER_NOT_OPEN" } });
    server.online = true;
    await wait(3_000);
    const [failed] = outboxStore.get();
    expect(failed?.state).toBe("failed");
    expect(failed && isLicenseRefusal(failed)).toBe(false);
  });
});

describe("an order opened offline", () => {
  it("gets a tmp ref that later entries use until the open is replayed", async () => {
    const { submit, outboxStore, resolveOrderRef } = await load();
    server.online = false;
    const opened = await submit(open(6));
    if (opened.status !== "queued") throw new Error("expected the open to be queued");
    expect(opened.entry.orderRef).toBe(`tmp-${opened.entry.id}`);
    expect(resolveOrderRef(opened.entry.orderRef)).toBeNull();
    await submit(items("{order}", opened.entry.orderRef, "soup"));

    server.online = true;
    await wait(3_000);
    expect(outboxStore.get()).toEqual([]);
    expect(resolveOrderRef(opened.entry.orderRef)).toBe(100);
    expect(resolveOrderRef("42")).toBe(42);
    expect(server.applied[1]?.path).toBe("/api/orders/100/items");
  });
});

describe("the queue across a reload", () => {
  it("is kept with its keys and replayed in order when the app starts again", async () => {
    let app = await load();
    server.online = false;
    const opened = await app.submit(open(4));
    const ref = opened.status === "queued" ? opened.entry.orderRef : "";
    await app.submit(items("{order}", ref, "soup"));
    await app.submit(items(7, "7", "wine"));
    const before = app.outboxStore.get();
    expect(before).toHaveLength(3);

    // The app is killed (its timers die with it) and started again, still offline.
    vi.clearAllTimers();
    app = await load();
    expect(app.outboxStore.get().map((entry) => [entry.id, entry.state])).toEqual(
      before.map((entry) => [entry.id, "queued"]),
    );
    await wait(5_000);
    expect(app.outboxStore.get()).toHaveLength(3);

    server.online = true;
    await wait(30_000);
    expect(app.outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.key)).toEqual(before.map((entry) => entry.id));

    // The tmp ref still leads to the order after yet another start.
    app = await load();
    expect(app.resolveOrderRef(ref)).toBe(100);
  });

  it("picks up an entry that was being sent when the app died", async () => {
    localStorage.setItem(
      "tavolo.outbox",
      JSON.stringify([
        {
          id: "key-1",
          kind: "items",
          orderRef: "7",
          tableId: 4,
          path: "/api/orders/7/items",
          body: { items: [] },
          label: "Send 1 item · T4",
          createdAt: 0,
          state: "sending",
          attempts: 1,
          userId: USER.id,
        },
      ]),
    );
    const { outboxStore } = await load();
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.key)).toEqual(["key-1"]);
  });
});

describe("a session that cannot be renewed", () => {
  it("keeps the queue until the next login, then sends it", async () => {
    signInStored("expired");
    server.refreshWorks = false;
    const { submit, outboxStore, sessionStore, signIn } = await load();
    const result = await submit(items(7, "7", "soup"));
    expect(result.status).toBe("queued");
    expect(sessionStore.get()).toBeNull();
    await wait(60_000);
    expect(outboxStore.get()).toHaveLength(1);
    expect(server.applied).toEqual([]);

    signIn({ access_token: "access-1", refresh_token: "refresh-9", token_type: "bearer", user: USER } as never);
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied).toHaveLength(1);
  });

  it("does not send another waiter's queue", async () => {
    const { submit, outboxStore, signIn, blockedEntries } = await load();
    server.online = false;
    await submit(items(7, "7", "soup"));
    signIn({ access_token: "access-1", refresh_token: "r", token_type: "bearer", user: { ...USER, id: 2 } } as never);
    server.online = true;
    await wait(3_000);
    const [entry] = outboxStore.get();
    expect(entry).toMatchObject({ state: "queued" });
    expect(blockedEntries(outboxStore.get()).get(entry?.id ?? "")).toBe("other-waiter");
    expect(server.applied).toEqual([]);
  });
});

describe("the connection", () => {
  it("is checked every 3 s while unreachable and comes back on the first answer", async () => {
    const { connectionStore, reportReachability } = await load();
    const health = vi.fn(server.fetch);
    vi.stubGlobal("fetch", health);
    server.online = false;
    reportReachability(false);
    await wait(9_000);
    expect(health).toHaveBeenCalledTimes(3);
    expect(connectionStore.get().reachable).toBe(false);
    server.online = true;
    await wait(3_000);
    expect(connectionStore.get().reachable).toBe(true);
    await wait(9_000);
    expect(health).toHaveBeenCalledTimes(4); // no polling while reachable
  });

  it("does not trust an answer while offline until the health check confirms it", async () => {
    const { connectionStore, reportReachability } = await load();
    server.online = false;
    reportReachability(false);
    reportReachability(true); // say, the service worker answered from its cache
    await settle();
    expect(connectionStore.get().reachable).toBe(false);
  });

  it("remembers since when it has been offline across an app restart, until the appliance answers", async () => {
    let app = await load();
    server.online = false;
    app.reportReachability(false);
    const lost = app.connectionStore.get().since;
    await wait(60_000);

    vi.clearAllTimers();
    app = await load();
    await settle();
    expect(app.connectionStore.get()).toEqual({ reachable: false, since: lost });

    server.online = true;
    await wait(3_000);
    expect(app.connectionStore.get().reachable).toBe(true);
    vi.clearAllTimers();
    app = await load();
    await settle();
    server.online = false;
    app.reportReachability(false);
    expect(app.connectionStore.get().since).toBe(Date.now());
  });

  it("treats the browser going offline as unreachable", async () => {
    const { connectionStore } = await load();
    window.dispatchEvent(new Event("offline"));
    expect(connectionStore.get().reachable).toBe(false);
  });
});

describe("storing a write", () => {
  it("tells the caller once the entry is stored, before anything is sent", async () => {
    const { submit } = await load();
    const seen: { stored: boolean; sent: number }[] = [];
    const result = await submit(items(7, "7", "soup"), {
      onPersisted: (entry) => {
        const stored = JSON.parse(localStorage.getItem("tavolo.outbox") ?? "[]") as { id: string }[];
        seen.push({ stored: stored.some((other) => other.id === entry.id), sent: server.received.length });
      },
    });
    expect(seen).toEqual([{ stored: true, sent: 0 }]);
    expect(result.status).toBe("done");
  });

  it("tells the caller of a queued write too", async () => {
    const { submit } = await load();
    server.online = false;
    const onPersisted = vi.fn();
    const result = await submit(items(7, "7", "soup"), { onPersisted });
    expect(result.status).toBe("queued");
    expect(onPersisted).toHaveBeenCalledOnce();
  });

  it("fails loudly when the phone's storage is full: nothing queued, nothing sent, the draft kept", async () => {
    const { submit, outboxStore, OutboxStorageError, ApiError } = await load();
    const setItem = vi.spyOn(Storage.prototype, "setItem").mockImplementation((key) => {
      if (key === "tavolo.outbox") throw new DOMException("quota", "QuotaExceededError");
    });
    const onPersisted = vi.fn();
    const error = await submit(items(7, "7", "soup"), { onPersisted }).catch((caught: unknown) => caught);
    setItem.mockRestore();
    expect(error).toBeInstanceOf(OutboxStorageError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "OUTBOX_STORAGE_FULL" });
    expect(onPersisted).not.toHaveBeenCalled();
    expect(outboxStore.get()).toEqual([]);
    expect(server.received).toEqual([]);
  });

  it("makes room by dropping the persisted query cache", async () => {
    const { submit, outboxStore } = await load();
    server.online = false;
    localStorage.setItem("tavolo.query-cache", "x".repeat(1000));
    const realSetItem = Storage.prototype.setItem;
    const setItem = vi.spyOn(Storage.prototype, "setItem").mockImplementation(function (this: Storage, key, value) {
      // Full while the query cache is there.
      if (key === "tavolo.outbox" && this.getItem("tavolo.query-cache") !== null) {
        throw new DOMException("quota", "QuotaExceededError");
      }
      realSetItem.call(this, key, value);
    });
    const result = await submit(items(7, "7", "soup"));
    setItem.mockRestore();
    expect(result.status).toBe("queued");
    expect(localStorage.getItem("tavolo.query-cache")).toBeNull();
    expect(JSON.parse(localStorage.getItem("tavolo.outbox") ?? "[]")).toEqual(outboxStore.get());
    expect(outboxStore.get()).toHaveLength(1);
  });
});

describe("a write refused at once", () => {
  it("is kept failed, holding the writes of its order queued meanwhile", async () => {
    const { submit, outboxStore, blockedEntries, discard } = await load();
    server.forced.set("/api/orders/7/items", { status: 409, body: { detail: "The order is not open", code: "ORDER_NOT_OPEN" } });
    const first = submit(items(7, "7", "soup")); // in flight…
    const payment = await submit(pay(7)); // …when the payment of the same order is queued behind it
    expect(payment.status).toBe("queued");
    const result = await first;
    expect(result).toMatchObject({
      status: "queued",
      entry: { state: "failed", error: { status: 409, code: "ORDER_NOT_OPEN", detail: "The order is not open" } },
    });
    const [failed, held, ...rest] = outboxStore.get();
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ kind: "items", state: "failed" });
    expect(held).toMatchObject({ kind: "pay", state: "queued" });
    expect(blockedEntries(outboxStore.get()).get(held?.id ?? "")).toBe("after-failed");
    expect(server.applied).toEqual([]);

    discard(failed?.id ?? "");
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/7/pay"]);
  });

  it("is removed and rejects when only other orders' writes are queued", async () => {
    const { submit, outboxStore } = await load();
    server.forced.set("/api/orders/7/items", { status: 409, body: { detail: "The order is not open", code: "ORDER_NOT_OPEN" } });
    const first = submit(items(7, "7", "soup"));
    await submit(items(8, "8", "wine"));
    await expect(first).rejects.toMatchObject({ status: 409, code: "ORDER_NOT_OPEN" });
    await settle();
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items"]);
  });
});

describe("firing a course", () => {
  it("is sent at once and resolves with the order", async () => {
    const { submit, outboxStore } = await load();
    const result = await submit(fire(7, 2));
    expect(result).toEqual({ status: "done", data: { id: 7, fired_course: 2, items: [] } });
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => [write.path, write.body])).toEqual([["/api/orders/7/fire", { course: 2 }]]);
  });

  it("taps queued offline go out once back; the second, answered NOTHING_TO_FIRE, counts as done", async () => {
    const { submit, outboxStore, onSettled } = await load();
    const settled = vi.fn();
    onSettled(settled);
    server.online = false;
    await submit(fire(7, 2));
    await submit(fire(7, 2));
    await submit(pay(7));
    expect(outboxStore.get().map((entry) => entry.kind)).toEqual(["fire", "fire", "pay"]);

    server.online = true;
    await wait(3_000);
    // Nothing left failed, and the payment behind the second fire was not held by it.
    expect(outboxStore.get()).toEqual([]);
    expect(server.received.map((write) => write.path)).toEqual([
      "/api/orders/7/fire",
      "/api/orders/7/fire",
      "/api/orders/7/pay",
    ]);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/7/fire", "/api/orders/7/pay"]);
    expect(settled).toHaveBeenCalledTimes(3);
    expect(settled).toHaveBeenNthCalledWith(2, expect.objectContaining({ kind: "fire" }), null);
  });

  it("replayed after a lost answer gets its first answer back, with the same key", async () => {
    const { submit, outboxStore } = await load();
    server.loseResponses = 1;
    expect((await submit(fire(7, 2))).status).toBe("queued");
    await wait(3_000);
    expect(outboxStore.get()).toEqual([]);
    expect(server.received).toHaveLength(2);
    expect(server.received[0]?.key).toBe(server.received[1]?.key);
    expect(server.applied).toHaveLength(1);
  });

  it("already fired on another phone resolves done without data", async () => {
    const { submit, outboxStore } = await load();
    server.firedCourses.set(7, 2);
    await expect(submit(fire(7, 2))).resolves.toEqual({ status: "done", data: null });
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied).toEqual([]);
  });

  it("refused for another reason is refused like any write", async () => {
    const { submit, outboxStore } = await load();
    await expect(submit(fire(99, 2))).rejects.toMatchObject({ status: 404, code: "ORDER_NOT_FOUND" });
    expect(outboxStore.get()).toEqual([]);
  });

  it("does not take NOTHING_TO_FIRE as done for other kinds of writes", async () => {
    const { submit } = await load();
    server.forced.set("/api/orders/7/items", { status: 409, body: { detail: "Nothing", code: "NOTHING_TO_FIRE" } });
    await expect(submit(items(7, "7", "soup"))).rejects.toMatchObject({ status: 409, code: "NOTHING_TO_FIRE" });
  });
});

describe("a write that keeps failing", () => {
  const busy = { status: 503, body: { detail: "The database is busy", code: "DB_BUSY" } };

  it("backs off alone: writes of other orders are sent meanwhile, new ones at once", async () => {
    const { submit, outboxStore } = await load();
    server.online = false;
    await submit(items(7, "7", "soup"));
    await submit(items(8, "8", "wine"));
    server.forced.set("/api/orders/7/items", busy);
    server.online = true;
    await wait(3_000);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items"]);
    expect(outboxStore.get()).toMatchObject([{ orderRef: "7", state: "queued" }]);

    // A retry of order 7 is scheduled; a write of another order does not wait for it.
    const fresh = await submit(items(8, "8", "bread"));
    expect(fresh.status).toBe("done");
    // A write of order 7 does: it must not overtake the one before it.
    const later = await submit(pay(7));
    expect(later.status).toBe("queued");
    server.forced.clear();
    await wait(30_000);
    expect(outboxStore.get()).toEqual([]);
    expect(server.applied.map((write) => write.path)).toEqual([
      "/api/orders/8/items",
      "/api/orders/8/items",
      "/api/orders/7/items",
      "/api/orders/7/pay",
    ]);
  });

  it("is marked failed with the server's reason after 8 server errors, and holds its order", async () => {
    const { submit, outboxStore, blockedEntries } = await load();
    server.forced.set("/api/orders/7/items", busy);
    await submit(items(7, "7", "soup"));
    await submit(pay(7));
    await wait(1_000 + 2_000 + 4_000 + 8_000 + 16_000 + 30_000 + 30_000); // attempts 2..8
    expect(server.received).toHaveLength(8);
    const [failed, held] = outboxStore.get();
    expect(failed).toMatchObject({
      state: "failed",
      attempts: 8,
      error: { status: 503, code: "DB_BUSY", detail: "The database is busy" },
    });
    expect(blockedEntries(outboxStore.get()).get(held?.id ?? "")).toBe("after-failed");
    await wait(120_000);
    expect(server.received).toHaveLength(8);
  });

  it("does not spin when the appliance goes away during its backoff", async () => {
    let writes = 0;
    const { submit, outboxStore } = await load(async (input, init) => {
      if (input instanceof Request && input.method === "POST") writes += 1;
      return server.fetch(input, init);
    });
    server.forced.set("/api/orders/7/items", busy);
    await submit(items(7, "7", "soup"));
    server.online = false;
    await wait(60_000);
    // The queue's own backoff while out of reach: 1 s, 2 s, 4 s … 30 s.
    expect(writes).toBeLessThan(10);
    server.online = true;
    server.forced.clear();
    await wait(3_000);
    expect(outboxStore.get()).toEqual([]);
  });

  it("is never marked failed while the appliance is simply out of reach", async () => {
    const { submit, outboxStore } = await load();
    server.online = false;
    await submit(items(7, "7", "soup"));
    await wait(20 * 60_000);
    expect(outboxStore.get()).toMatchObject([{ state: "queued" }]);
  });

  it("without an answer while the appliance otherwise answers does not hold other orders", async () => {
    const { submit, outboxStore } = await load(async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (new URL(request.url).pathname === "/api/orders/7/items") throw new TypeError("Network connection lost");
      return server.fetch(input, init);
    });
    server.online = false;
    await submit(items(7, "7", "soup"));
    await submit(items(8, "8", "wine"));
    server.online = true;
    await wait(10_000);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/8/items"]);
    expect(outboxStore.get()).toMatchObject([{ orderRef: "7", state: "queued" }]);
  });
});

// Two tabs of the app on one phone: two loads of the modules sharing localStorage (and, when given, one
// navigator.locks). The browser tells a tab about another's storage writes with a `storage` event; jsdom does
// not across module loads, so the tests send it (both tabs hear it, as the writer's own changes are no news).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeAppliance, USER, macrotask, settle, signInStored } from "./fake-appliance";

let server: FakeAppliance;

async function openTab(fetchImpl: typeof fetch = server.fetch) {
  vi.resetModules();
  vi.stubGlobal("fetch", fetchImpl);
  const outbox = await import("../outbox");
  const connection = await import("../connection");
  const session = await import("../session");
  return { ...outbox, ...connection, ...session };
}

function storageEvent(key: string): void {
  window.dispatchEvent(new StorageEvent("storage", { key }));
}

/** Exclusive Web Locks, enough of them for the outbox and the client: FIFO, and `ifAvailable`. */
class FakeLocks {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, (() => void)[]>();

  async request<T>(
    name: string,
    optionsOrCallback: { ifAvailable?: boolean } | ((lock: unknown) => Promise<T> | T),
    maybeCallback?: (lock: unknown) => Promise<T> | T,
  ): Promise<T> {
    const options = typeof optionsOrCallback === "function" ? {} : optionsOrCallback;
    const callback = (typeof optionsOrCallback === "function" ? optionsOrCallback : maybeCallback) as (
      lock: unknown,
    ) => Promise<T> | T;
    if (this.held.has(name)) {
      if (options.ifAvailable) return callback(null);
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      await new Promise<void>((resolve) => queue.push(resolve)); // handed over still held
    } else {
      this.held.add(name);
    }
    try {
      return await callback({ name, mode: "exclusive" });
    } finally {
      const next = this.queues.get(name)?.shift();
      if (next) next();
      else this.held.delete(name);
    }
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  localStorage.clear();
  signInStored();
  server = new FakeAppliance();
});

afterEach(() => {
  // Tabs of a finished test must not act on the next one's storage.
  server.online = false;
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, "locks");
});

const items = (order: number, name: string) => ({
  kind: "items" as const,
  orderRef: String(order),
  tableId: 4,
  path: `/api/orders/${order}/items`,
  body: { items: [{ product_id: 1, quantity: 1, note: name }] },
  label: `Send ${name} · T4`,
});

const stored = () => JSON.parse(localStorage.getItem("tavolo.outbox") ?? "[]") as { id: string }[];

describe("two tabs", () => {
  it("never erase each other's queued writes", async () => {
    server.online = false;
    const first = await openTab();
    const second = await openTab();
    const a = await first.submit(items(7, "soup"));
    const b = await second.submit(items(8, "wine")); // this tab has not heard of the soup yet
    const c = await first.submit(items(7, "bread"));
    const ids = [a, b, c].map((result) => (result.status === "queued" ? result.entry.id : ""));
    expect(stored().map((entry) => entry.id)).toEqual(ids);
  });

  it("see each other's queue, order ids and session", async () => {
    const first = await openTab();
    const second = await openTab();
    server.online = false;
    first.reportReachability(false);
    const queued = await first.submit({
      kind: "open",
      orderRef: "",
      tableId: 4,
      path: "/api/orders/",
      body: { table_id: 4, guests: 2 },
      label: "Open T4",
    });
    const ref = queued.status === "queued" ? queued.entry.orderRef : "";
    storageEvent("tavolo.outbox");
    expect(second.outboxStore.get().map((entry) => entry.orderRef)).toEqual([ref]);

    server.online = true;
    await first.checkConnection();
    await settle();
    expect(first.resolveOrderRef(ref)).toBe(100);
    storageEvent("tavolo.outbox");
    storageEvent("tavolo.outbox.orders");
    expect(second.outboxStore.get()).toEqual([]);
    expect(second.resolveOrderRef(ref)).toBe(100);

    first.signOut();
    storageEvent("tavolo.user");
    expect(second.sessionStore.get()).toBeNull();
  });

  it("keep the same user object when another tab only renews the tokens", async () => {
    await openTab();
    const tab = await openTab();
    const before = tab.sessionStore.get();
    localStorage.setItem("tavolo.refresh", "refresh-2");
    storageEvent("tavolo.refresh");
    expect(tab.sessionStore.get()).toBe(before);
    expect(before).toMatchObject({ id: USER.id });
  });

  it("send one at a time when the browser has locks", async () => {
    Object.defineProperty(navigator, "locks", { value: new FakeLocks(), configurable: true });
    let inFlight = 0;
    let most = 0;
    const slow: typeof fetch = async (input, init) => {
      const write = input instanceof Request && input.method === "POST";
      if (write) inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        for (let i = 0; i < 5; i += 1) await macrotask();
        return await server.fetch(input, init);
      } finally {
        if (write) inFlight -= 1;
      }
    };
    const first = await openTab(slow);
    const second = await openTab(slow);
    const soup = first.submit(items(7, "soup")); // being sent by the first tab…
    const wine = await second.submit(items(8, "wine")); // …so the second only queues (the first sends it)
    expect(wine.status).toBe("queued");
    expect(await soup).toMatchObject({ status: "done" });
    await settle();
    expect(most).toBe(1);
    expect(server.applied.map((write) => write.path)).toEqual(["/api/orders/7/items", "/api/orders/8/items"]);
    expect(stored()).toEqual([]);
  });
});

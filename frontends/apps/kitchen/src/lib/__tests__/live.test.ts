import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { event, item, snapshot, ticket } from "../../shared/test-data/tickets";

// A WebSocket the test drives: what the appliance would send arrives through `deliver`.
class FakeSocket {
  static all: FakeSocket[] = [];
  url: string;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  static get last(): FakeSocket | undefined {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
  close() {
    this.closed = true;
  }
}

const TOKEN = "kds_screen-token";

async function load() {
  const live = await import("../live");
  const screen = await import("../screen");
  return { live, screen };
}

describe("the kitchen socket", () => {
  beforeEach(() => {
    vi.resetModules();
    vi.useFakeTimers();
    localStorage.clear();
    FakeSocket.all = [];
    localStorage.setItem("tavolo.kitchen.screen-token", TOKEN);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const options = (onArrival = vi.fn()) => ({
    onArrival,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    fetchImpl: vi.fn(async () => new Response("{}", { status: 200 })),
  });

  it("connects with the screen token, shows the snapshot and chimes for a new ticket only", async () => {
    const { live } = await load();
    const onArrival = vi.fn();
    const stop = live.startLive(options(onArrival));
    const socket = FakeSocket.last;
    expect(socket?.url).toContain(`/ws/kitchen?token=${TOKEN}`);
    expect(socket?.url).not.toContain("since");
    expect(live.linkStore.get().state).toBe("reconnecting");

    socket?.deliver(snapshot([ticket(1, [item(11)])], 5, "e1"));
    expect(live.linkStore.get()).toMatchObject({ state: "live", everLive: true });
    expect(live.boardStore.get().tickets.map((t) => t.id)).toEqual([1]);
    expect(onArrival).not.toHaveBeenCalled();

    socket?.deliver(event("kitchen.ticket_new", 6, ticket(2, [item(21)])));
    expect(onArrival).toHaveBeenCalledTimes(1);
    // A repeat of the same ticket is no news.
    socket?.deliver(event("kitchen.ticket_new", 6, ticket(2, [item(21)])));
    expect(onArrival).toHaveBeenCalledTimes(1);
    stop();
  });

  it("keeps the board through a drop and resumes after the last event it applied", async () => {
    const { live } = await load();
    const stop = live.startLive(options());
    const first = FakeSocket.last;
    first?.deliver(snapshot([ticket(1, [item(11)])], 5, "e1"));
    first?.deliver(event("kitchen.ticket_new", 9, ticket(2, [item(21)])));
    first?.drop();
    expect(live.linkStore.get().state).toBe("reconnecting");
    expect(live.boardStore.get().tickets).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(700);
    const second = FakeSocket.last;
    expect(second).not.toBe(first);
    expect(second?.url).toContain("since=e1%3A9");
    second?.deliver({ type: "resumed", epoch: "e1", seq: 9 });
    expect(live.linkStore.get().state).toBe("live");
    // A late message of the dropped socket must not reach the board.
    first?.deliver(event("kitchen.ticket_new", 10, ticket(3, [item(31)])));
    expect(live.boardStore.get().tickets).toHaveLength(2);
    stop();
  });

  it("backs off between failed attempts", async () => {
    const { live } = await load();
    const stop = live.startLive(options());
    FakeSocket.last?.drop();
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last?.drop();
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.all).toHaveLength(3);
    stop();
  });

  it("goes back to pairing when the appliance refuses the token (close code 4401)", async () => {
    const { live, screen } = await load();
    const stop = live.startLive(options());
    FakeSocket.last?.deliver(snapshot([ticket(1, [item(11)])]));
    FakeSocket.last?.drop(4401);
    expect(screen.pairingStore.get()).toEqual({ token: null, notice: "revoked" });
    expect(localStorage.getItem("tavolo.kitchen.screen-token")).toBeNull();
    expect(live.boardStore.get().screen).toBeNull();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSocket.all).toHaveLength(1);
    stop();
  });

  it("drops a socket the appliance no longer answers for and reconnects", async () => {
    const { live } = await load();
    const opts = options();
    const stop = live.startLive(opts);
    const first = FakeSocket.last;
    first?.deliver(snapshot([], 3, "e1"));
    opts.fetchImpl.mockImplementation(async () => {
      throw new TypeError("network down");
    });
    await vi.advanceTimersByTimeAsync(live.WATCHDOG_MS + 10);
    expect(first?.closed).toBe(true);
    expect(live.linkStore.get().state).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.last).not.toBe(first);
    stop();
  });

  it("a new pairing starts from nothing", async () => {
    const { live, screen } = await load();
    const stop = live.startLive(options());
    FakeSocket.last?.deliver(snapshot([ticket(1, [item(11)])], 5, "e1"));
    screen.pair("kds_another-screen");
    expect(live.boardStore.get().tickets).toEqual([]);
    expect(FakeSocket.last?.url).toContain("token=kds_another-screen");
    expect(FakeSocket.last?.url).not.toContain("since");
    stop();
  });
});

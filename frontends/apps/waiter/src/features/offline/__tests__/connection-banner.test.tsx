import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeAppliance, settle, signInStored } from "../../../lib/__tests__/fake-appliance";

let server: FakeAppliance;

async function load() {
  vi.resetModules();
  vi.stubGlobal("fetch", server.fetch);
  const outbox = await import("../../../lib/outbox");
  const connection = await import("../../../lib/connection");
  const offline = await import("../index");
  return { ...outbox, ...connection, ...offline };
}

const soup = {
  kind: "items" as const,
  orderRef: "7",
  tableId: 4,
  path: "/api/orders/7/items",
  body: { items: [] },
  label: "Send 1 item · T4",
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  localStorage.clear();
  signInStored();
  server = new FakeAppliance();
});

afterEach(() => {
  cleanup();
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("ConnectionBanner", () => {
  it("shows nothing while the appliance answers", async () => {
    const { ConnectionBanner } = await load();
    const { container } = render(<ConnectionBanner />);
    expect(container).toBeEmptyDOMElement();
  });

  it("says the orders are kept, for how long it has been offline and how many changes wait", async () => {
    const { ConnectionBanner, submit } = await load();
    server.online = false;
    render(<ConnectionBanner />);
    await act(async () => {
      await submit(soup);
      await submit(soup);
    });
    await act(() => vi.advanceTimersByTimeAsync(125_000));
    const banner = screen.getByTestId("connection-banner");
    expect(banner).toHaveTextContent(
      "No connection to the appliance — your orders are kept and will be sent when it is back",
    );
    expect(banner).toHaveTextContent("Offline for 2 min");
    expect(screen.getByTestId("offline-queued")).toHaveTextContent("2 changes waiting");
  });

  it("confirms how many were sent once back, then goes away", async () => {
    const { ConnectionBanner, submit, checkConnection } = await load();
    server.online = false;
    render(<ConnectionBanner />);
    await act(async () => {
      await submit(soup);
      await submit(soup);
    });
    server.online = true;
    await act(async () => {
      await checkConnection();
      await settle();
    });
    expect(screen.getByTestId("connection-back")).toHaveTextContent("Back online · 2 sent");
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(screen.queryByTestId("connection-back")).toBeNull();
  });
});

describe("OutboxPanel", () => {
  it("lists a refused change with its reason and discards it", async () => {
    const { OutboxPanel, submit, outboxStore } = await load();
    server.online = false;
    server.forced.set("/api/orders/7/items", { status: 409, body: { detail: "The order is closed", code: "ORDER_NOT_OPEN" } });
    await submit(soup);
    render(<OutboxPanel />);
    expect(screen.getByTestId("outbox-entry")).toHaveTextContent("Waiting to send");
    server.online = true;
    await act(async () => {
      for (let i = 0; i < 10; i += 1) await vi.advanceTimersByTimeAsync(1_000);
    });
    expect(screen.getByTestId("outbox-entry")).toHaveTextContent("Refused: The order is closed");
    act(() => screen.getByTestId("outbox-discard").click());
    expect(outboxStore.get()).toEqual([]);
    expect(screen.queryByTestId("outbox-entry")).toBeNull();
  });
});

describe("OutboxPanel on a shared phone", () => {
  it("lists only the signed-in waiter's changes (and those nobody claimed)", async () => {
    const entry = (id: string, label: string, userId: number | undefined, state = "queued") => ({
      id,
      kind: "items",
      orderRef: "7",
      tableId: 4,
      path: "/api/orders/7/items",
      body: { items: [] },
      label,
      createdAt: 0,
      state,
      attempts: 0,
      ...(userId === undefined ? {} : { userId }),
    });
    localStorage.setItem(
      "tavolo.outbox",
      JSON.stringify([
        entry("k1", "Mine", 1),
        entry("k2", "Nikos's", 2),
        entry("k3", "Nikos's refused", 2, "failed"),
        entry("k4", "From before", undefined),
      ]),
    );
    server.online = false;
    const { OutboxPanel } = await load();
    render(<OutboxPanel />);
    expect(screen.getAllByTestId("outbox-entry").map((item) => item.querySelector(".off-entry__label")?.textContent)).toEqual([
      "Mine",
      "From before",
    ]);
  });
});

describe("OutboxButton", () => {
  it("opens the queue", async () => {
    const { OutboxButton, submit } = await load();
    server.online = false;
    await submit(soup);
    render(<OutboxButton data-testid="outbox-count">1</OutboxButton>);
    expect(screen.queryByTestId("outbox-panel")).toBeNull();
    act(() => screen.getByTestId("outbox-count").click());
    expect(screen.getByTestId("outbox-entry")).toHaveTextContent("Send 1 item · T4");
  });
});

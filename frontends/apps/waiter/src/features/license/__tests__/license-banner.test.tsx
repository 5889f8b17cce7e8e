// The banner against a stub appliance behind `fetch`: the real api client, query cache and outbox.
// First: it installs the stub appliance before the app's modules load.
import {
  appliance,
  json,
  received,
  renderAt,
  resetScreenState,
  setOutbox,
} from "../../../shared/test-data/screen-harness";
import { act, cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { outboxStore, type OutboxEntry } from "../../../lib/outbox";
import { sessionStore } from "../../../lib/session";
import type { User } from "@tavolo/api";
import type { License } from "../../../shared/license";
import { LicenseBanner } from "../index";
import { license } from "./license-data";

let current: License;

function serve(request: Request): Response | Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET" && path === "/api/license") return json(current);
  if (request.method === "GET" && path === "/api/system/info") {
    return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
  }
  if (request.method === "GET" && path === "/api/system/health") return json({ status: "ok" });
  if (request.method === "POST" && path === "/api/orders/7/items") {
    return received(request).then(() => json({ order_id: 7, order_status: "open", round: 2, items: [] }, 201));
  }
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

const LOCKED = license({ state: "locked", code: "LICENSE_LOCKED", lock_reason: "Unpaid invoice" });

function refusedRound(): OutboxEntry {
  return {
    id: "key-soup",
    kind: "items",
    orderRef: "7",
    tableId: 3,
    path: "/api/orders/7/items",
    body: { items: [{ product_id: 1, quantity: 1 }] },
    label: "Send 1 item · T7",
    createdAt: Date.now(),
    state: "failed",
    attempts: 1,
    error: { status: 423, code: "LICENSE_LOCKED", detail: "New orders are paused by the license." },
  };
}

function signedInAs(role: "waiter" | "manager"): void {
  sessionStore.set({
    id: role === "manager" ? 1 : 2,
    username: role,
    display_name: role,
    role,
    is_active: true,
    created_at: "2026-11-01T00:00:00Z",
  } as User);
}

beforeEach(() => {
  resetScreenState();
  appliance.handler = serve;
  current = license();
});

afterEach(cleanup);

describe("LicenseBanner", () => {
  it("shows nothing while the license is active", async () => {
    const { client } = renderAt("/", <LicenseBanner />);
    await waitFor(() => expect(client.getQueryData(["license"])).toBeDefined());
    expect(screen.queryByTestId("license-banner")).toBeNull();
  });

  it("says the license is locked, why, and that open bills can still be settled", async () => {
    current = LOCKED;
    renderAt("/", <LicenseBanner />);
    const banner = await screen.findByTestId("license-banner");
    expect(banner).toHaveAttribute("data-state", "locked");
    expect(banner).toHaveTextContent("This restaurant's license is locked: Unpaid invoice.");
    expect(banner).toHaveTextContent("Open bills can still be paid and closed.");
    expect(banner).toHaveAttribute("role", "alert");
  });

  it("follows the license when it is read again (as a license.changed event makes it)", async () => {
    current = LOCKED;
    const { client } = renderAt("/", <LicenseBanner />);
    await screen.findByTestId("license-banner");
    current = license();
    await act(() => client.invalidateQueries({ queryKey: ["license"] }));
    await waitFor(() => expect(screen.queryByTestId("license-banner")).toBeNull());
  });

  it("keeps a write refused for the license on the phone, and sends it again once orders are allowed", async () => {
    current = LOCKED;
    setOutbox([refusedRound()]);
    const { user, client } = renderAt("/", <LicenseBanner />);
    await waitFor(() =>
      expect(screen.getByTestId("license-refused")).toHaveTextContent(
        "1 change was refused for the license. Kept on this phone: send it again once the license is fixed.",
      ),
    );
    expect(screen.queryByTestId("license-send-again")).toBeNull();
    expect(appliance.writes).toEqual([]);

    current = license();
    await act(() => client.invalidateQueries({ queryKey: ["license"] }));
    const banner = await screen.findByTestId("license-banner");
    expect(banner).toHaveAttribute("data-state", "active");
    expect(banner).toHaveTextContent("Kept on this phone: send it again now.");
    await user.click(screen.getByTestId("license-send-again"));

    await waitFor(() => expect(outboxStore.get()).toEqual([]));
    expect(appliance.writes).toEqual([
      { path: "/api/orders/7/items", key: "key-soup", body: { items: [{ product_id: 1, quantity: 1 }] } },
    ]);
    expect(screen.queryByTestId("license-banner")).toBeNull();
  });

  it("offers a manager the vendor's renewal link, and a waiter nothing to pay", async () => {
    current = license({
      state: "warning",
      code: "LICENSE_EXPIRING",
      reason: "The license runs out in 3 days.",
      days_left: 3,
      renewal_url: "https://rzp.io/i/renew-kafeneio",
    });
    const before = sessionStore.get();
    onTestFinished(() => sessionStore.set(before));
    signedInAs("manager");
    renderAt("/", <LicenseBanner />);
    const link = await screen.findByTestId("license-renew");
    expect(link).toHaveAttribute("href", "https://rzp.io/i/renew-kafeneio");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    expect(link).toHaveAccessibleName("Renew the license");
    cleanup();

    signedInAs("waiter");
    renderAt("/", <LicenseBanner />);
    await screen.findByTestId("license-banner");
    expect(screen.queryByTestId("license-renew")).toBeNull();
  });
});

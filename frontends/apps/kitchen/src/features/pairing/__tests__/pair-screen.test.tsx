// First: the stub appliance, before any app module captures fetch.
import { appliance, json, sent } from "../../../shared/test-utils/stub-appliance";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pairingStore, unpair } from "../../../lib/screen";
import { renderWithQuery } from "../../../shared/test-utils/render";
import { PairScreen } from "../components/pair-screen";

const MANAGER = { id: 1, username: "boss", display_name: "Boss", role: "manager", is_active: true, created_at: "" };
const WAITER = { ...MANAGER, id: 2, username: "maria", role: "waiter" };
const ZONES = [
  { id: 5, name: "Kitchen", kds_warn_minutes: 5, kds_late_minutes: 10 },
  { id: 6, name: "Bar", kds_warn_minutes: 3, kds_late_minutes: 6 },
];

function serve(user: typeof MANAGER) {
  appliance.mockImplementation(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/auth/login") {
      return json(200, { access_token: "staff-access", refresh_token: "staff-refresh", token_type: "bearer", user });
    }
    if (path === "/api/printers/") return json(200, ZONES);
    if (path === "/api/kitchen/screens") {
      return json(201, { id: 9, name: "Kitchen", zone_ids: [5], expo: false, created_at: "", token: "kds_new-screen" });
    }
    if (path === "/api/auth/logout") return new Response(null, { status: 204 });
    return json(404, { detail: "no", code: "NOT_FOUND" });
  });
}

async function signIn(username: string, pin: string) {
  const user = userEvent.setup();
  renderWithQuery(<PairScreen />);
  await user.type(screen.getByTestId("pair-username"), username);
  for (const digit of pin) await user.click(screen.getByTestId(`pin-key-${digit}`));
  await user.click(screen.getByTestId("pair-login"));
  return user;
}

describe("pairing on the screen", () => {
  beforeEach(() => {
    appliance.mockReset();
    localStorage.clear();
  });
  afterEach(() => unpair("unpaired"));

  it("a manager signs in, picks a zone and pairs; only the screen's token stays, the manager is signed out", async () => {
    serve(MANAGER);
    const user = await signIn("boss", "9999");
    await user.click(await screen.findByTestId("pair-zone-5"));
    await user.click(screen.getByTestId("pair-submit"));
    await waitFor(() => expect(pairingStore.get()).toEqual({ token: "kds_new-screen", notice: null }));
    expect({ ...localStorage }).toEqual({ "tavolo.kitchen.screen-token": "kds_new-screen" });
    const requests = await sent();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/auth/login",
      "GET /api/printers/",
      "POST /api/kitchen/screens",
      "POST /api/auth/logout",
    ]);
    expect(requests[0]?.body).toEqual({ username: "boss", pin: "9999" });
    expect(requests[2]).toMatchObject({ auth: "Bearer staff-access", body: { name: "Kitchen", zone_ids: [5], expo: false } });
    expect(requests[3]).toMatchObject({ auth: "Bearer staff-access", body: { refresh_token: "staff-refresh" } });
  });

  it("an expo screen needs no zone", async () => {
    serve(MANAGER);
    const user = await signIn("boss", "9999");
    await screen.findByTestId("pair-zone-5");
    expect(screen.getByTestId("pair-submit")).toBeDisabled();
    await user.click(screen.getByTestId("pair-expo"));
    await user.type(screen.getByTestId("pair-name"), "Pass");
    await user.click(screen.getByTestId("pair-submit"));
    await waitFor(() => expect(pairingStore.get().token).toBe("kds_new-screen"));
    const create = (await sent()).find((r) => r.path === "/api/kitchen/screens");
    expect(create?.body).toEqual({ name: "Pass", zone_ids: [], expo: true });
  });

  it("a waiter cannot pair a screen, and is signed out again at once", async () => {
    serve(WAITER);
    await signIn("maria", "1001");
    expect(await screen.findByTestId("pair-error")).toHaveTextContent("Only a manager can pair a screen.");
    expect((await sent()).map((r) => r.path)).toEqual(["/api/auth/login", "/api/auth/logout"]);
    expect(screen.queryByTestId("pair-setup")).toBeNull();
    expect(localStorage.length).toBe(0);
  });

  it("a wrong PIN says so", async () => {
    appliance.mockImplementation(async () => json(401, { detail: "Invalid credentials", code: "INVALID_CREDENTIALS" }));
    await signIn("boss", "1234");
    expect(await screen.findByTestId("pair-error")).toHaveTextContent("Wrong username or PIN.");
  });

  it("tells why it is showing after the screen was unpaired", () => {
    unpair("revoked");
    renderWithQuery(<PairScreen />);
    expect(screen.getByTestId("pair-notice")).toHaveTextContent("This screen was unpaired");
  });
});

// The warning on the QR screens when the guests' links point at a loopback address no phone can open.
// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Table, TableQr } from "../api/tables-api";
import { TablesScreen } from "../components/tables-screen";
import { unreachableQrHost } from "../model/qr-host";

function table(number: number): Table {
  return {
    id: number,
    number,
    label: `T${number}`,
    seats: 4,
    group_id: null,
    group_name: null,
    is_active: true,
    pos_x: 0,
    pos_y: 0,
    state: "free",
    order_id: null,
    waiter_id: null,
    waiter_name: null,
    assistant_ids: [],
    guests: null,
    total: 0,
    paid_total: 0,
    due: 0,
    item_count: 0,
    opened_at: null,
    is_mine: false,
    by_guests: false,
  };
}

function serveOrigin(origin: string) {
  const qr = (number: number): TableQr => ({
    table_id: number,
    number,
    label: `T${number}`,
    token: `tok${number}`,
    url: `${origin}/t/tok${number}`,
  });
  serve({
    "GET /api/tables/": () => json(200, [table(1), table(2)]),
    "GET /api/tables/groups": () => json(200, []),
    "GET /api/system/info": () => json(200, { restaurant_name: "Taverna Nefeli", currency: "EUR", timezone: "UTC" }),
    "GET /api/tables/1/qr": () => json(200, qr(1)),
    "GET /api/tables/qr": () => json(200, [qr(1), qr(2)]),
  });
}

async function openTableQr() {
  const user = renderWithQueries(<TablesScreen />);
  await user.click(within(await screen.findByTestId("table-row-1")).getByRole("button", { name: "QR code of T1" }));
  const dialog = screen.getByRole("dialog", { name: "QR code · T1" });
  await within(dialog).findByTestId("table-qr-url");
  return dialog;
}

async function openCards() {
  const user = renderWithQueries(<TablesScreen />);
  await user.click(await screen.findByRole("button", { name: "Print QR cards" }));
  const page = screen.getByRole("dialog", { name: /QR cards/ });
  await within(page).findAllByTestId("qr-card");
  return page;
}

beforeEach(() => {
  appliance.mockReset();
});

describe("the QR screens when the codes point at a loopback address", () => {
  it("warn on a table's code, naming the host and the two ways out", async () => {
    serveOrigin("http://localhost:8000");
    const dialog = await openTableQr();
    const warning = within(dialog).getByTestId("qr-host-warning");
    expect(warning).toHaveTextContent(
      "These codes point to localhost:8000, which guests' phones cannot reach. Open the dashboard at the " +
        "appliance's network address (e.g. http://tavolo.local) or set PUBLIC_URL, then print.",
    );
  });

  it("warn on the printable cards page", async () => {
    serveOrigin("http://127.0.0.1");
    const page = await openCards();
    expect(within(page).getByTestId("qr-host-warning")).toHaveTextContent("These codes point to 127.0.0.1,");
  });

  it("say nothing when the codes point at the appliance's network address", async () => {
    serveOrigin("http://192.168.1.20");
    const dialog = await openTableQr();
    expect(within(dialog).queryByTestId("qr-host-warning")).toBeNull();
  });

  it("say nothing on the cards page either", async () => {
    serveOrigin("http://192.168.1.20:8000");
    const page = await openCards();
    expect(within(page).queryByTestId("qr-host-warning")).toBeNull();
  });
});

describe("unreachableQrHost", () => {
  it.each([
    ["http://localhost/t/x", "localhost"],
    ["http://LOCALHOST:8000/t/x", "localhost:8000"],
    ["http://pos.localhost/t/x", "pos.localhost"],
    ["http://127.0.0.1:8000/t/x", "127.0.0.1:8000"],
    ["http://127.1.2.3/t/x", "127.1.2.3"],
    ["http://[::1]:8000/t/x", "[::1]:8000"],
    ["http://[::ffff:127.0.0.1]/t/x", "[::ffff:7f00:1]"],
    ["http://0.0.0.0:8000/t/x", "0.0.0.0:8000"],
  ])("finds %s unreachable", (url, host) => {
    expect(unreachableQrHost(url)).toBe(host);
  });

  it.each([
    "http://192.168.1.20/t/x",
    "http://tavolo.local/t/x",
    "https://order.taverna.gr/t/x",
    "http://[fe80::1]/t/x",
    "http://10.0.0.127/t/x",
    "not a url",
  ])("finds %s fine", (url) => {
    expect(unreachableQrHost(url)).toBeNull();
  });
});

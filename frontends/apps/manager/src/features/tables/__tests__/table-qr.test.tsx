// A table's QR code (show, rotate with confirmation) and the printable cards, against the stub appliance.
// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { QueryClient } from "@tanstack/react-query";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { applyEvent } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";
import type { Section, Table, TableQr } from "../api/tables-api";
import { TablesScreen } from "../components/tables-screen";

const INSIDE: Section = { id: 1, name: "Inside", sort_order: 0, table_count: 2, created_at: "2026-12-01T08:00:00Z" };

function table(number: number, overrides: Partial<Table> = {}): Table {
  return {
    id: number,
    number,
    label: `T${number}`,
    seats: 4,
    group_id: 1,
    group_name: "Inside",
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
    ...overrides,
  };
}

function qr(number: number, token: string): TableQr {
  return { table_id: number, number, label: `T${number}`, token, url: `http://pos.local/t/${token}` };
}

let token: string;

beforeEach(() => {
  appliance.mockReset();
  token = "old-token";
  serve({
    "GET /api/tables/": () => json(200, [table(2), table(1), table(3, { is_active: false })]),
    "GET /api/tables/groups": () => json(200, [INSIDE]),
    "GET /api/system/info": () => json(200, { restaurant_name: "Taverna Nefeli", currency: "EUR", timezone: "UTC" }),
    "GET /api/tables/1/qr": () => json(200, qr(1, token)),
    "GET /api/tables/qr": () => json(200, [qr(2, "two"), qr(1, token)]),
    "POST /api/tables/1/qr/rotate": () => {
      token = "new-token";
      return json(200, qr(1, token));
    },
  });
});

describe("a table's QR code", () => {
  it("shows the code and its link, and rotates only after confirmation", async () => {
    const user = renderWithQueries(<TablesScreen />);
    const row = await screen.findByTestId("table-row-1");
    await user.click(within(row).getByRole("button", { name: "QR code of T1" }));
    const dialog = screen.getByRole("dialog", { name: "QR code · T1" });
    expect(await within(dialog).findByTestId("table-qr-url")).toHaveTextContent("http://pos.local/t/old-token");
    expect(await within(dialog).findByTestId("table-qr-image")).toHaveAttribute(
      "data-text",
      "http://pos.local/t/old-token",
    );

    await user.click(within(dialog).getByRole("button", { name: "Rotate code" }));
    const confirm = screen.getByRole("dialog", { name: "Rotate the QR code of T1?" });
    expect(confirm).toHaveTextContent("The old code stops working at once");
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(await writes()).toEqual([]);

    await user.click(within(dialog).getByRole("button", { name: "Rotate code" }));
    await user.click(within(screen.getByRole("dialog", { name: "Rotate the QR code of T1?" })).getByTestId(
      "table-qr-rotate-dialog-confirm",
    ));
    expect(await within(dialog).findByTestId("table-qr-rotated")).toHaveTextContent("print this table's card again");
    expect(within(dialog).getByTestId("table-qr-url")).toHaveTextContent("http://pos.local/t/new-token");
    await waitFor(() =>
      expect(within(dialog).getByTestId("table-qr-image")).toHaveAttribute("data-text", "http://pos.local/t/new-token"),
    );
    expect(await writes()).toEqual([{ method: "POST", path: "/api/tables/1/qr/rotate", body: null }]);
  });

  it("shows the appliance's reason when the rotation is refused", async () => {
    serve({
      "GET /api/tables/": () => json(200, [table(1)]),
      "GET /api/tables/groups": () => json(200, [INSIDE]),
      "GET /api/tables/1/qr": () => json(200, qr(1, token)),
      "POST /api/tables/1/qr/rotate": () => json(410, { detail: "The table is deactivated", code: "TABLE_INACTIVE" }),
    });
    const user = renderWithQueries(<TablesScreen />);
    await user.click(within(await screen.findByTestId("table-row-1")).getByRole("button", { name: "QR code of T1" }));
    await screen.findByTestId("table-qr-url");
    await user.click(screen.getByRole("button", { name: "Rotate code" }));
    await user.click(screen.getByTestId("table-qr-rotate-dialog-confirm"));
    expect(await screen.findByTestId("table-qr-rotate-dialog-error")).toHaveTextContent("The table is deactivated");
  });
});

describe("the printable QR cards", () => {
  it("have one card per table, in number order, with the restaurant, the table, the code and both languages", async () => {
    const user = renderWithQueries(<TablesScreen />);
    await user.click(await screen.findByRole("button", { name: "Print QR cards" }));
    const page = screen.getByRole("dialog", { name: /QR cards/ });
    const cards = await within(page).findAllByTestId("qr-card");
    expect(cards.map((card) => card.dataset.tableId)).toEqual(["1", "2"]);
    await waitFor(() => expect(cards[0]).toHaveTextContent("Taverna Nefeli"));
    expect(cards[0]).toHaveTextContent("T1");
    expect(within(cards[0] as HTMLElement).getByText("Scan to order")).toHaveAttribute("lang", "en");
    expect(within(cards[0] as HTMLElement).getByText("Σαρώστε για παραγγελία")).toHaveAttribute("lang", "el");
    expect(await within(cards[0] as HTMLElement).findByTestId("qr-card-code")).toHaveAttribute(
      "data-text",
      "http://pos.local/t/old-token",
    );
    expect(within(page).getByRole("heading")).toHaveTextContent("QR cards · 2 tables");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("qr-cards-page")).toBeNull();
  });

  it("are read again when a manager changes the floor", () => {
    const client = new QueryClient();
    client.setQueryData(keys.tableQr, []);
    applyEvent(client, { type: "table.changed", data: { order_id: 7, table_id: 1 } });
    expect(client.getQueryState(keys.tableQr)?.isInvalidated).toBe(false);
    applyEvent(client, { type: "table.changed", data: { change: "added" } });
    expect(client.getQueryState(keys.tableQr)?.isInvalidated).toBe(true);
  });
});

// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Section, Table } from "../api/tables-api";
import { batchLabels, parseWhole } from "../components/table-dialogs";
import { TablesScreen } from "../components/tables-screen";

const INSIDE: Section = { id: 1, name: "Inside", sort_order: 0, table_count: 2, created_at: "2026-12-01T08:00:00Z" };
const TERRACE: Section = { id: 2, name: "Terrace", sort_order: 1, table_count: 0, created_at: "2026-12-01T08:00:00Z" };

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

beforeEach(() => {
  appliance.mockReset();
});

describe("numbers typed in a form", () => {
  it("are whole numbers within bounds, nothing else", () => {
    expect(parseWhole(" 12 ", 1, 20)).toBe(12);
    expect(parseWhole("0", 1, 20)).toBeNull();
    expect(parseWhole("21", 1, 20)).toBeNull();
    expect(parseWhole("1.5", 1, 20)).toBeNull();
    expect(parseWhole("-3", 1, 20)).toBeNull();
    expect(parseWhole("", 1, 20)).toBeNull();
  });

  it("preview a batch's names", () => {
    expect(batchLabels("T", 1, 2)).toBe("T1, T2");
    expect(batchLabels("P", 40, 6)).toBe("P40, P41 … P45");
  });
});

describe("the tables screen", () => {
  it("lists tables under their sections and adds a batch to a section", async () => {
    serve({
      "GET /api/tables/": () => json(200, [table(1), table(2)]),
      "GET /api/tables/groups": () => json(200, [TERRACE, INSIDE]),
      "POST /api/tables/batch": () => json(201, []),
    });
    const user = renderWithQueries(<TablesScreen />);
    const inside = await screen.findByRole("region", { name: "Inside" });
    expect(within(inside).getByTestId("table-row-1")).toHaveTextContent("T1");
    const terrace = screen.getByRole("region", { name: "Terrace" });
    expect(within(terrace).getByText("No tables in this section.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Add several tables to Terrace" }));
    const dialog = screen.getByRole("dialog", { name: "Add several tables" });
    expect(within(dialog).getByLabelText("First number")).toHaveValue("3");
    expect(within(dialog).getByLabelText("Section")).toHaveValue("2");
    await user.clear(within(dialog).getByLabelText("How many"));
    await user.type(within(dialog).getByLabelText("How many"), "4");
    expect(within(dialog).getByTestId("batch-preview")).toHaveTextContent("Creates T3, T4 … T6.");
    await user.click(within(dialog).getByRole("button", { name: "Add 4 tables" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await writes()).toEqual([
      { method: "POST", path: "/api/tables/batch", body: { prefix: "T", count: 4, start: 3, seats: 4, group_id: 2 } },
    ]);
  });

  it("refuses a batch that would pass the last table number without sending it", async () => {
    serve({ "GET /api/tables/": () => json(200, []), "GET /api/tables/groups": () => json(200, []) });
    const user = renderWithQueries(<TablesScreen />);
    await user.click((await screen.findAllByRole("button", { name: "Add several tables" }))[0] as HTMLElement);
    const dialog = screen.getByRole("dialog", { name: "Add several tables" });
    await user.clear(within(dialog).getByLabelText("First number"));
    await user.type(within(dialog).getByLabelText("First number"), "9998");
    await user.click(within(dialog).getByRole("button", { name: "Add 6 tables" }));
    expect(within(dialog).getByText("The last number would pass 9999.")).toBeInTheDocument();
    expect(await writes()).toEqual([]);
  });

  it("shows why a table being served cannot be deactivated", async () => {
    serve({
      "GET /api/tables/": () => json(200, [table(1, { state: "open", waiter_name: "Maria", order_id: 7 })]),
      "GET /api/tables/groups": () => json(200, [INSIDE]),
      "DELETE /api/tables/1": () =>
        json(409, { detail: "The table has an open order; close or cancel it first", code: "TABLE_HAS_OPEN_ORDER" }),
    });
    const user = renderWithQueries(<TablesScreen />);
    const row = await screen.findByTestId("table-row-1");
    expect(row).toHaveTextContent("Open order · Maria");
    await user.click(within(row).getByRole("button", { name: "Deactivate T1" }));
    const dialog = screen.getByRole("dialog", { name: "Deactivate T1?" });
    await user.click(within(dialog).getByRole("button", { name: "Deactivate" }));
    expect(await within(dialog).findByTestId("confirm-error")).toHaveTextContent("open order");
  });

  it("edits a table, sending only what changed", async () => {
    serve({
      "GET /api/tables/": () => json(200, [table(1)]),
      "GET /api/tables/groups": () => json(200, [INSIDE, TERRACE]),
      "PUT /api/tables/1": () => json(200, table(1, { seats: 6, group_id: 2 })),
    });
    const user = renderWithQueries(<TablesScreen />);
    const row = await screen.findByTestId("table-row-1");
    await user.click(within(row).getByRole("button", { name: "Edit T1" }));
    const dialog = screen.getByRole("dialog", { name: "Edit T1" });
    await user.clear(within(dialog).getByLabelText("Seats"));
    await user.type(within(dialog).getByLabelText("Seats"), "6");
    await user.selectOptions(within(dialog).getByLabelText("Section"), "Terrace");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(async () =>
      expect(await writes()).toEqual([{ method: "PUT", path: "/api/tables/1", body: { seats: 6, group_id: 2 } }]),
    );
  });
});

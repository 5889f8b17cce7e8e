import type { Table, TableGroup } from "@tavolo/api";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { TableTile } from "../components/table-tile";
import { groupTables } from "../hooks/use-sections";

function table(overrides: Partial<Table>): Table {
  return {
    id: 1,
    number: 1,
    label: "T1",
    seats: 4,
    group_id: null,
    group_name: null,
    is_active: true,
    is_mine: false,
    by_guests: false,
    assistant_ids: [],
    state: "free",
    order_id: null,
    waiter_id: null,
    waiter_name: null,
    guests: null,
    opened_at: null,
    item_count: 0,
    total: 0,
    paid_total: 0,
    due: 0,
    pos_x: 0,
    pos_y: 0,
    ...overrides,
  };
}

function group(id: number, name: string, sort_order: number): TableGroup {
  return { id, name, sort_order, table_count: 0, created_at: "" };
}

afterEach(cleanup);

describe("groupTables", () => {
  const groups = [group(1, "Terrace", 2), group(2, "Inside", 1)];
  const tables = [
    table({ id: 1, number: 3, group_id: 1 }),
    table({ id: 2, number: 1, group_id: 1, is_mine: true, state: "open" }),
    table({ id: 3, number: 2, group_id: 2 }),
    table({ id: 4, number: 9, group_id: null }),
    table({ id: 5, number: 8, group_id: 2, is_active: false }),
  ];

  it("puts my tables first, then sections in the manager's order, then the rest", () => {
    const sections = groupTables(tables, groups, (t) => t.is_mine);
    expect(sections.map((s) => [s.title, s.tables.map((t) => t.number)])).toEqual([
      ["My tables", [1]],
      ["Inside", [2]],
      ["Terrace", [3]],
      ["Other tables", [9]],
    ]);
  });

  it("has no 'My tables' section when the waiter has none", () => {
    expect(groupTables(tables, groups, () => false)[0]?.title).toBe("Inside");
  });
});

describe("TableTile", () => {
  it("carries state and ownership for the eye and for tests", () => {
    render(
      <TableTile
        table={table({
          number: 4,
          label: "T4",
          state: "partially_paid",
          is_mine: true,
          waiter_name: "Maria",
          guests: 3,
          due: 1250,
          opened_at: "2025-05-01T20:00:00Z",
        })}
        mine
        pending={false}
        now={Date.parse("2025-05-01T20:42:00Z")}
        currency="EUR"
        onSelect={() => {}}
      />,
    );
    const tile = screen.getByTestId("table-4");
    expect(tile).toHaveAttribute("data-state", "partially_paid");
    expect(tile).toHaveAttribute("data-mine", "true");
    expect(tile).toHaveTextContent("Part paid");
    expect(tile).toHaveTextContent("Maria");
    expect(tile).toHaveTextContent("42 min");
    expect(tile).toHaveTextContent("12.50");
  });

  it("marks a table the guests opened by QR as needing a waiter", () => {
    render(
      <TableTile
        table={table({ number: 6, label: "T6", state: "open", by_guests: true, waiter_name: "QR guests", due: 900 })}
        mine={false}
        pending={false}
        now={0}
        currency="EUR"
        onSelect={() => {}}
      />,
    );
    const tile = screen.getByTestId("table-6");
    expect(tile).toHaveAttribute("data-by-guests", "true");
    expect(tile).toHaveTextContent("Needs a waiter");
    expect(screen.getByLabelText("Guests ordered from the table's QR code: needs a waiter")).toBeInTheDocument();
    expect(tile).not.toHaveTextContent("QR guests");
  });
});

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { HeatCell } from "../api/analytics-api";
import { HeatMap } from "../components/heat-map";

// Friday 20:00 is the busiest hour; Monday 13:00 has a little.
const CELLS: HeatCell[] = Array.from({ length: 7 * 24 }, (_, index) => {
  const weekday = Math.floor(index / 24);
  const hour = index % 24;
  const orders = weekday === 4 && hour === 20 ? 10 : weekday === 0 && hour === 13 ? 2 : 0;
  return { weekday, hour, orders, revenue: orders * 2300 };
});

function cell(weekday: number, hour: number): HTMLElement {
  const found = screen
    .getAllByTestId("heat-cell")
    .find((c) => c.dataset.weekday === String(weekday) && c.dataset.hour === String(hour));
  if (!found) throw new Error("no such cell");
  return found;
}

describe("the peak hours heat map", () => {
  it("draws 7 x 24 cells, each named by its weekday, hour and figures", () => {
    render(<HeatMap cells={CELLS} measure="orders" currency="EUR" />);
    expect(screen.getAllByTestId("heat-cell")).toHaveLength(168);
    const friday = cell(4, 20);
    expect(friday).toHaveAccessibleName("Friday 20:00–20:59: 10 orders, €230.00");
    expect(friday.querySelector("title")).toHaveTextContent("Friday 20:00–20:59: 10 orders, €230.00");
    expect(friday).toHaveAttribute("data-level", "5");
    expect(cell(0, 13)).toHaveAttribute("data-level", "1");
    expect(cell(3, 3)).toHaveAttribute("data-level", "0");
    expect(screen.getByTestId("heat-peak")).toHaveTextContent("Busiest: Friday 20:00–20:59: 10 orders, €230.00.");
  });

  it("has a legend of its colour steps, in the measure shown", () => {
    const { rerender } = render(<HeatMap cells={CELLS} measure="orders" currency="EUR" />);
    const steps = within(screen.getByTestId("heat-legend")).getAllByRole("listitem");
    expect(steps.map((s) => s.textContent)).toEqual(["None", "1 – 2", "3 – 4", "5 – 6", "7 – 8", "9 – 10"]);
    rerender(<HeatMap cells={CELLS} measure="revenue" currency="EUR" />);
    expect(within(screen.getByTestId("heat-legend")).getAllByRole("listitem").at(-1)).toHaveTextContent(
      "€184.01 – €230.00",
    );
  });

  it("has the same numbers as a weekday-by-hour table, hidden until asked for", async () => {
    const user = userEvent.setup();
    render(<HeatMap cells={CELLS} measure="revenue" currency="EUR" />);
    const table = screen.getByRole("table", { name: "Peak hours by revenue" });
    expect(table.parentElement).toHaveClass("visually-hidden");
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(8);
    const friday = rows[5] as HTMLElement;
    expect(within(friday).getByRole("rowheader")).toHaveTextContent("Friday");
    expect(within(friday).getAllByRole("cell")[20]).toHaveTextContent("€230.00");
    await user.click(screen.getByRole("button", { name: "Show numbers" }));
    expect(table.parentElement).not.toHaveClass("visually-hidden");
  });

  it("says so when nothing was sold", () => {
    render(<HeatMap cells={CELLS.map((c) => ({ ...c, orders: 0, revenue: 0 }))} measure="orders" currency="EUR" />);
    expect(screen.getByTestId("heat-peak")).toHaveTextContent("No orders in this period.");
    expect(screen.getAllByTestId("heat-cell").every((c) => c.dataset.level === "0")).toBe(true);
  });
});

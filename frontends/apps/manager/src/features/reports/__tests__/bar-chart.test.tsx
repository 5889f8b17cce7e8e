import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BarChart, horizontalLayout, verticalLayout, type BarDatum } from "../components/bar-chart";

const euros = (minor: number) => `€${(minor / 100).toFixed(2)}`;

const HOURS: BarDatum[] = Array.from({ length: 24 }, (_, hour) => ({
  key: String(hour),
  label: `${String(hour).padStart(2, "0")}:00–${String(hour).padStart(2, "0")}:59`,
  tick: String(hour).padStart(2, "0"),
  value: hour === 13 ? 4600 : hour === 20 ? 2300 : 0,
}));

function renderHours() {
  render(
    <BarChart
      title="Revenue by hour"
      data={HOURS}
      categoryLabel="Hour"
      valueLabel="Revenue (EUR)"
      formatValue={euros}
      data-testid="chart"
    />,
  );
  return screen.getByTestId("chart");
}

describe("the bar chart", () => {
  it("draws one bar per datum, in proportion on a round axis", () => {
    const chart = renderHours();
    const bars = within(chart).getAllByTestId("chart-bar");
    expect(bars).toHaveLength(24);
    const height = (key: string) => Number(bars.find((bar) => bar.dataset.key === key)?.getAttribute("height"));
    expect(height("0")).toBe(0);
    expect(height("13")).toBeCloseTo(2 * height("20"));
    expect(bars.find((bar) => bar.dataset.key === "13")).toHaveAttribute("data-value", "4600");
    // A round axis above 4600 (0 to 6000 in steps of 2000), its ticks labelled with the formatted amounts.
    const svg = within(chart).getByTestId("chart-svg") as unknown as HTMLElement;
    const ticks = Array.from(svg.querySelectorAll("g > .bar-chart__tick[text-anchor='end']"), (t) => t.textContent);
    expect(ticks).toEqual(["€0.00", "€20.00", "€40.00", "€60.00"]);
    expect(height("13")).toBeCloseTo((4600 / 6000) * verticalLayout(HOURS).plotHeight);
  });

  it("labels the axes, the bars' categories and the non-zero values", () => {
    const chart = renderHours();
    const svg = within(chart).getByTestId("chart-svg") as unknown as HTMLElement;
    expect(within(svg).getByText("Hour")).toBeInTheDocument();
    expect(within(svg).getByText("Revenue (EUR)")).toBeInTheDocument();
    expect(within(svg).getByText("13")).toBeInTheDocument();
    expect(within(svg).getByText("€46.00")).toBeInTheDocument();
    expect(within(svg).getByText("€23.00")).toBeInTheDocument();
    // Zero hours carry no value label: 22 empty columns would be noise.
    expect(svg.querySelectorAll(".bar-chart__value")).toHaveLength(2);
  });

  it("hides the picture from assistive technology and names the figure by its title", () => {
    renderHours();
    expect(screen.getByRole("figure", { name: "Revenue by hour" })).toBeInTheDocument();
    expect(screen.getByTestId("chart-svg")).toHaveAttribute("aria-hidden", "true");
  });

  it("has the same numbers in a table, visually hidden until asked for", async () => {
    const user = userEvent.setup();
    const chart = renderHours();
    const table = within(chart).getByRole("table", { name: "Revenue by hour" });
    expect(table.parentElement).toHaveClass("visually-hidden");
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(25);
    expect(within(rows[0] as HTMLElement).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual([
      "Hour",
      "Revenue (EUR)",
    ]);
    expect(within(rows[14] as HTMLElement).getByRole("rowheader")).toHaveTextContent("13:00–13:59");
    expect(within(rows[14] as HTMLElement).getByRole("cell")).toHaveTextContent("€46.00");

    const toggle = within(chart).getByRole("button", { name: "Show numbers" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(within(chart).getByRole("button", { name: "Hide numbers" })).toHaveAttribute("aria-expanded", "true");
    expect(table.parentElement).not.toHaveClass("visually-hidden");
  });

  it("says so when there is nothing to draw", () => {
    render(
      <BarChart
        title="Sales by waiter"
        data={[]}
        categoryLabel="Waiter"
        valueLabel="Sales"
        formatValue={euros}
        emptyText="No sales by a waiter in this period."
      />,
    );
    expect(screen.getByText("No sales by a waiter in this period.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("lays horizontal bars out from their names, the longest filling the plot", () => {
    const data = [
      { key: "cash", label: "Cash", value: 3000 },
      { key: "card", label: "Card", value: 1500 },
    ];
    const layout = horizontalLayout(data, 600);
    expect(layout.scale.max).toBe(3000);
    expect(layout.bars[0]?.width).toBeCloseTo(layout.plotWidth);
    expect(layout.bars[1]?.width).toBeCloseTo(layout.plotWidth / 2);
    expect(layout.bars[1]!.y).toBeGreaterThan(layout.bars[0]!.y);
  });

  it("stands the bars of a vertical chart on one baseline", () => {
    const layout = verticalLayout(HOURS, 1200);
    const baseline = layout.margin.top + layout.plotHeight;
    for (const bar of layout.bars) expect(bar.y + bar.height).toBeCloseTo(baseline);
    expect(layout.bars[1]!.x).toBeGreaterThan(layout.bars[0]!.x);
    expect(layout.bars[23]!.x + layout.bars[23]!.width).toBeLessThanOrEqual(layout.margin.left + layout.plotWidth);
  });
  it("marks the previous period's values across the bars, on an axis that holds them, and lists them", () => {
    const data: BarDatum[] = [
      { key: "mon", label: "Monday", value: 3000, previous: 6000 },
      { key: "tue", label: "Tuesday", value: 1000, previous: 0 },
    ];
    const layout = verticalLayout(data, 600);
    expect(layout.scale.max).toBe(6000);
    expect(layout.bars[0]!.previousY).toBeCloseTo(layout.margin.top);
    expect(layout.bars[1]!.previousY).toBeCloseTo(layout.margin.top + layout.plotHeight);
    expect(horizontalLayout(data, 600).bars[0]!.previousX).toBeCloseTo(
      horizontalLayout(data, 600).margin.left + horizontalLayout(data, 600).plotWidth,
    );

    render(
      <BarChart
        title="Sales by weekday"
        data={data}
        categoryLabel="Weekday"
        valueLabel="Revenue (EUR)"
        previousLabel="Previous period"
        formatValue={euros}
        data-testid="chart"
      />,
    );
    const chart = screen.getByTestId("chart");
    expect(within(chart).getAllByTestId("chart-previous")).toHaveLength(2);
    expect(within(chart).getAllByTestId("chart-bar")[0]).toHaveAttribute("data-previous", "6000");
    const rows = within(within(chart).getByRole("table")).getAllByRole("row");
    expect(within(rows[0] as HTMLElement).getAllByRole("columnheader").map((c) => c.textContent)).toEqual([
      "Weekday",
      "Revenue (EUR)",
      "Previous period",
    ]);
    expect(within(rows[1] as HTMLElement).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "€30.00",
      "€60.00",
    ]);
  });

  it("draws no marker, legend or column for data without previous values", () => {
    renderHours();
    expect(screen.queryByTestId("chart-previous")).not.toBeInTheDocument();
    expect(screen.getByRole("table").querySelectorAll("th[scope='col']")).toHaveLength(2);
  });
});

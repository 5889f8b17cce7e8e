import { appliance, json, serve } from "../../../test/stub-appliance";
import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Route, Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { renderWithQueries } from "../../../test/render";
import { AnalyticsScreen } from "../components/analytics-screen";

function metric(value: number, previous: number) {
  const change = value - previous;
  return { value, previous, change, change_percent: previous ? Math.round((1000 * change) / previous) / 10 : null };
}

function summary(query: URLSearchParams, currency: string) {
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  return {
    from,
    to,
    previous_from: "",
    previous_to: "",
    timezone: "Europe/Athens",
    currency,
    revenue: metric(125_000, 100_000),
    orders: metric(50, 40),
    items: metric(120, 100),
    average_ticket: metric(2500, 2500),
    covers: metric(90, 100),
    average_per_cover: metric(1389, 1000),
    tips: metric(3000, 0),
    discounts: metric(1500, 1000),
    discounts_count: metric(3, 2),
    comps: metric(0, 900),
    comps_count: metric(0, 1),
    voids: metric(700, 700),
    voids_count: metric(1, 1),
  };
}

function sales(query: URLSearchParams) {
  const rows = Array.from({ length: 24 }, (_, hour) => ({
    key: hour,
    label: `${hour}:00`,
    orders: hour === 13 ? 5 : 0,
    items: hour === 13 ? 9 : 0,
    revenue: hour === 13 ? 4600 : 0,
    previous_orders: hour === 20 ? 2 : 0,
    previous_items: hour === 20 ? 2 : 0,
    previous_revenue: hour === 20 ? 2300 : 0,
  }));
  const figures = { orders: 5, items: 9, revenue: 4600, previous_orders: 2, previous_items: 2, previous_revenue: 2300 };
  const period = { from: query.get("from"), to: query.get("to"), timezone: "UTC", currency: "EUR" };
  return { ...period, group_by: "hour", rows, totals: figures };
}

function stub(currency = "EUR") {
  serve({
    "GET /api/system/info": () => json(200, { restaurant_name: "Taverna", currency, timezone: "UTC" }),
    "GET /api/analytics/summary": (request) => json(200, summary(new URL(request.url).searchParams, currency)),
    "GET /api/reports/sales": (request) => json(200, sales(new URL(request.url).searchParams)),
  });
}

function queriesOf(path: string): URLSearchParams[] {
  return appliance.mock.calls
    .map(([request]) => new URL(request.url))
    .filter((url) => url.pathname === path)
    .map((url) => url.searchParams);
}

function renderAt(path: string) {
  const location = memoryLocation({ path, record: true });
  const user = renderWithQueries(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <Route path="/analytics" nest>
        <AnalyticsScreen />
      </Route>
    </Router>,
  );
  return { user, location };
}

afterEach(() => appliance.mockReset());

describe("the analytics overview", () => {
  it("asks for the period in the address and shows each figure against the previous period", async () => {
    stub();
    renderAt("/analytics?period=week&date=2026-03-04");
    const revenue = await screen.findByTestId("metric-revenue");
    expect(queriesOf("/api/analytics/summary").map((q) => [q.get("from"), q.get("to")])).toEqual([
      ["2026-03-02", "2026-03-08"],
    ]);
    expect(screen.getByTestId("period-label")).toHaveTextContent(/Week of 2.+8 Mar 2026/);
    expect(screen.getByTestId("period-compared")).toHaveTextContent(/23 Feb.+1 Mar 2026/);
    expect(screen.getByTestId("period-week")).toHaveAttribute("aria-pressed", "true");

    expect(within(revenue).getByText("€1,250.00")).toBeInTheDocument();
    expect(revenue).toHaveTextContent("▲ 25%");
    expect(revenue).toHaveTextContent("up 25% on the previous period");
    expect(revenue).toHaveTextContent("was €1,000.00");
    expect(screen.getByTestId("metric-covers")).toHaveTextContent("▼ 10%");
    expect(screen.getByTestId("metric-average_ticket")).toHaveTextContent("unchanged");
    expect(screen.getByTestId("metric-tips")).toHaveTextContent("▲ new");
    // Fewer comps is good news: the arrow goes down, the colour says good.
    const comps = screen.getByTestId("metric-comps");
    expect(comps.querySelector(".change")).toHaveClass("change--good");
    expect(comps).toHaveTextContent("0 times (was 1)");
    expect(screen.getByTestId("metric-discounts").querySelector(".change")).toHaveClass("change--bad");
  });

  it("formats amounts with the site currency's own decimals", async () => {
    stub("JPY");
    renderAt("/analytics?period=day&date=2026-03-04");
    const revenue = await screen.findByTestId("metric-revenue");
    expect(revenue).toHaveTextContent("¥125,000");
    expect(revenue).not.toHaveTextContent("¥1,250.00");
  });

  it("draws a single day by hour, with the previous day's figures as markers", async () => {
    stub();
    renderAt("/analytics?period=day&date=2026-03-04");
    const chart = await screen.findByTestId("sales-chart");
    expect(queriesOf("/api/reports/sales")[0]?.get("group_by")).toBe("hour");
    const bar = within(chart)
      .getAllByTestId("chart-bar")
      .find((b) => b.dataset.key === "20");
    expect(bar).toHaveAttribute("data-value", "0");
    expect(bar).toHaveAttribute("data-previous", "2300");
    expect(within(chart).getAllByTestId("chart-previous")).toHaveLength(24);
    expect(within(chart).getByRole("table")).toHaveTextContent("Previous period");
  });

  it("steps and switches the period as new entries in the history, so the back button returns", async () => {
    stub();
    const { user, location } = renderAt("/analytics?period=day&date=2026-03-04");
    await screen.findByTestId("metric-revenue");
    await user.click(screen.getByTestId("period-previous"));
    await waitFor(() => expect(screen.getByTestId("period-label")).toHaveAttribute("data-from", "2026-03-03"));
    expect(location.history?.at(-1)).toBe("/analytics/?period=day&date=2026-03-03");

    await user.click(screen.getByTestId("period-month"));
    await waitFor(() => expect(screen.getByTestId("period-label")).toHaveTextContent("March 2026"));
    expect(location.history?.at(-1)).toBe("/analytics/?period=month&date=2026-03-03");
    await waitFor(() =>
      expect(queriesOf("/api/analytics/summary").map((q) => q.get("to"))).toContain("2026-03-31"),
    );
    expect(location.history).toEqual([
      "/analytics?period=day&date=2026-03-04",
      "/analytics/?period=day&date=2026-03-03",
      "/analytics/?period=month&date=2026-03-03",
    ]);
    // The tabs carry the period along.
    expect(screen.getByRole("link", { name: "Products" })).toHaveAttribute(
      "href",
      "/analytics/products?period=month&date=2026-03-03",
    );

    act(() => location.navigate("/analytics?from=2026-02-01&to=2026-02-10"));
    await waitFor(() => expect(screen.getByTestId("period-custom")).toHaveAttribute("aria-pressed", "true"));
    expect(screen.getByTestId("period-from")).toHaveValue("2026-02-01");
    await user.clear(screen.getByTestId("period-to"));
    await user.type(screen.getByTestId("period-to"), "2026-01-01");
    expect(screen.getByTestId("period-apply")).toBeDisabled();
    expect(screen.getByRole("alert")).toHaveTextContent("The last day is before the first.");
  });
});

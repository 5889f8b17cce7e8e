// A sales report of the appliance (by hour, weekday, day, category or waiter) as bars, each with the previous
// period's figure as a marker, revenue or orders.
import { formatMoney } from "@tavolo/ui";
import { useState } from "react";
import { BarChart, type BarDatum } from "../../reports/components/bar-chart";
import { useSales, type GroupBy, type SalesRow } from "../api/analytics-api";
import { hourRange } from "../lib/heat";
import { formatCount, moneyFormats } from "../lib/format";
import type { Range } from "../lib/period";
import { Loaded, Section } from "./section";
import { MEASURES, Toggle, type Measure } from "./toggle";

const CATEGORY: Record<GroupBy, string> = {
  hour: "Hour",
  weekday: "Weekday",
  day: "Day",
  product: "Product",
  category: "Category",
  waiter: "Waiter",
};

const DAY_LABEL = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const MONTH_TICK = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });

/** A row's label in full and under its bar: hours and days are shortened, a long run of days shows months. */
export function salesDatum(row: SalesRow, groupBy: GroupBy, rows: number, measure: Measure): BarDatum {
  const value = measure === "revenue" ? row.revenue : row.orders;
  const previous = measure === "revenue" ? row.previous_revenue : row.previous_orders;
  const key = String(row.key ?? "none");
  if (groupBy === "hour" && typeof row.key === "number") {
    return { key, label: hourRange(row.key), tick: String(row.key).padStart(2, "0"), value, previous };
  }
  if (groupBy === "day" && typeof row.key === "string") {
    const day = new Date(`${row.key}T00:00:00Z`);
    const first = day.getUTCDate() === 1;
    const tick = rows <= 31 ? String(day.getUTCDate()) : first ? MONTH_TICK.format(day).slice(0, 3) : "";
    return { key, label: DAY_LABEL.format(day), tick, value, previous };
  }
  if (groupBy === "weekday") return { key, label: row.label, tick: row.label.slice(0, 3), value, previous };
  return { key, label: row.label, value, previous };
}

export function SalesChart({
  range,
  groupBy,
  title,
  orientation = "vertical",
  width,
  testId,
}: {
  range: Range;
  groupBy: GroupBy;
  title: string;
  orientation?: "vertical" | "horizontal";
  width?: number;
  testId?: string;
}) {
  const [measure, setMeasure] = useState<Measure>("revenue");
  const sales = useSales(range, groupBy);
  return (
    <Section
      title={title}
      csv={{ sales: groupBy }}
      range={range}
      testId={testId}
      actions={<Toggle label={`${title}: show`} options={MEASURES} value={measure} onChange={setMeasure} />}
    >
      <Loaded query={sales} what={title.toLowerCase()}>
        {(report) => {
          const data = report.rows.map((row) => salesDatum(row, groupBy, report.rows.length, measure));
          const money = moneyFormats(report.currency);
          const formats =
            measure === "revenue" ? money : { formatValue: formatCount, formatShort: formatCount };
          return (
            <>
              <BarChart
                title={`${title} · ${measure === "revenue" ? "revenue" : "orders"}`}
                data={data}
                categoryLabel={CATEGORY[groupBy]}
                valueLabel={measure === "revenue" ? `Revenue (${report.currency})` : "Orders"}
                previousLabel="Previous period"
                orientation={orientation}
                showValues={data.length <= 31}
                width={width}
                emptyText="No sales in this period or the one before."
                data-testid="sales-chart"
                {...formats}
              />
              <p className="muted analytics-totals" data-testid="sales-totals">
                In all: {formatMoney(report.totals.revenue, report.currency)} from{" "}
                {formatCount(report.totals.orders)} orders (previous period{" "}
                {formatMoney(report.totals.previous_revenue, report.currency)} from{" "}
                {formatCount(report.totals.previous_orders)}).
              </p>
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}

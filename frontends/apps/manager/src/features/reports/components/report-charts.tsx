// The charts of a report: revenue by hour, then sales by payment method and by waiter side by side.
import { formatMoney } from "@tavolo/ui";
import { formatMoneyShort, hourLabel } from "../lib/format";
import { BarChart } from "./bar-chart";

interface HourLine {
  hour: number;
  orders: number;
  revenue: number;
}

/** One bar of the method or waiter chart. */
export interface SalesLine {
  key: string;
  name: string;
  amount: number;
}

export function ReportCharts({
  byHour,
  byMethod,
  byWaiter,
  currency,
}: {
  byHour: HourLine[];
  byMethod: SalesLine[];
  byWaiter: SalesLine[];
  currency: string;
}) {
  const money = {
    formatValue: (value: number) => formatMoney(value, currency),
    formatShort: (value: number) => formatMoneyShort(value, currency),
  };
  const sideBySide = [
    { title: "Sales by payment method", by: "Method", lines: byMethod, empty: "No payments in this period." },
    { title: "Sales by waiter", by: "Waiter", lines: byWaiter, empty: "No sales by a waiter in this period." },
  ];
  return (
    <section className="panel" aria-label="Charts">
      <BarChart
        title="Revenue by hour"
        data={byHour.map((line) => ({
          key: String(line.hour),
          label: `${hourLabel(line.hour)}–${String(line.hour).padStart(2, "0")}:59`,
          tick: String(line.hour).padStart(2, "0"),
          value: line.revenue,
        }))}
        categoryLabel="Hour"
        valueLabel={`Revenue (${currency})`}
        {...money}
        width={1200}
        data-testid="chart-by-hour"
      />
      <div className="report-charts">
        {sideBySide.map((chart) => (
          <BarChart
            key={chart.by}
            title={chart.title}
            data={chart.lines.map((line) => ({ key: line.key, label: line.name, value: line.amount }))}
            categoryLabel={chart.by}
            valueLabel={`Sales (${currency})`}
            {...money}
            orientation="horizontal"
            emptyText={chart.empty}
            data-testid={`chart-by-${chart.by.toLowerCase()}`}
          />
        ))}
      </div>
    </section>
  );
}

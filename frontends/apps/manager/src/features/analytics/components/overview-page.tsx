// The overview of a period: the headline figures against the previous period, then its sales over time (by hour
// for a single day, by day otherwise).
import { formatMoney } from "@tavolo/ui";
import { useSummary, type Metric, type Summary } from "../api/analytics-api";
import type { Better } from "../lib/change";
import { formatCount } from "../lib/format";
import type { Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { SalesChart } from "./sales-chart";
import { Loaded, Section } from "./section";

type MetricName = { [K in keyof Summary]: Summary[K] extends Metric ? K : never }[keyof Summary];

interface Card {
  id: MetricName;
  label: string;
  money: boolean;
  better?: Better;
  /** How many times, under an amount (discounts given, items voided). */
  count?: MetricName;
}

const CARDS: Card[] = [
  { id: "revenue", label: "Revenue", money: true },
  { id: "orders", label: "Orders", money: false },
  { id: "average_ticket", label: "Average ticket", money: true },
  { id: "covers", label: "Covers", money: false },
  { id: "average_per_cover", label: "Average per cover", money: true },
  { id: "tips", label: "Tips", money: true },
  { id: "discounts", label: "Discounts", money: true, better: "down", count: "discounts_count" },
  { id: "comps", label: "Comps", money: true, better: "down", count: "comps_count" },
  { id: "voids", label: "Voids", money: true, better: "down", count: "voids_count" },
];

export function MetricCards({ summary }: { summary: Summary }) {
  const show = (card: Card, value: number) => (card.money ? formatMoney(value, summary.currency) : formatCount(value));
  return (
    <dl className="metric-cards">
      {CARDS.map((card) => {
        const metric = summary[card.id];
        const count = card.count ? summary[card.count] : null;
        return (
          <div
            key={card.id}
            className="metric-card"
            data-testid={`metric-${card.id}`}
            data-value={metric.value}
            data-previous={metric.previous}
          >
            <dt>{card.label}</dt>
            <dd className="metric-card__value">{show(card, metric.value)}</dd>
            <dd className="metric-card__change">
              <ChangeBadge
                value={metric.value}
                previous={metric.previous}
                percent={metric.change_percent}
                better={card.better}
              />{" "}
              <span className="muted">was {show(card, metric.previous)}</span>
            </dd>
            {count && (
              <dd className="muted">
                {formatCount(count.value)} {count.value === 1 ? "time" : "times"} (was {formatCount(count.previous)})
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

export function OverviewPage({ range }: { range: Range }) {
  const summary = useSummary(range);
  const single = range.from === range.to;
  return (
    <div className="page">
      <Section title="Summary" csv="summary" range={range} testId="analytics-summary">
        <Loaded query={summary} what="summary">
          {(data) => <MetricCards summary={data} />}
        </Loaded>
      </Section>
      <SalesChart
        range={range}
        groupBy={single ? "hour" : "day"}
        title={single ? "Sales by hour" : "Sales by day"}
        width={1200}
        testId="sales-over-time"
      />
    </div>
  );
}

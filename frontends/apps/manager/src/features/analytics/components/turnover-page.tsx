// How long tables stay: minutes from opening to closing an order, on average and at the median, over all tables
// and per table, each against the previous period (a marker on its bar).
import { BarChart } from "../../reports/components/bar-chart";
import { DataTable } from "../../../shared/data-table";
import { useTurnover, type TurnoverLine } from "../api/analytics-api";
import { formatCount, formatMinutes } from "../lib/format";
import { previousRange, type Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { Loaded, Section } from "./section";

const keyOf = (line: TurnoverLine) => String(line.table_id ?? "all");

export function TurnoverPage({ range }: { range: Range }) {
  const turnover = useTurnover(range);
  const previous = useTurnover(previousRange(range));
  const before = new Map(
    previous.data ? [previous.data.overall, ...previous.data.tables].map((line) => [keyOf(line), line]) : [],
  );
  const change = (line: TurnoverLine) => {
    const prior = before.get(keyOf(line));
    if (!previous.isSuccess) return <span className="muted">…</span>;
    if (!prior || prior.orders === 0 || line.orders === 0) return <span className="muted">—</span>;
    return <ChangeBadge value={line.average_minutes} previous={prior.average_minutes} better="either" />;
  };
  return (
    <div className="page">
      <Section title="Table turnover" csv="turnover" range={range} testId="analytics-turnover">
        <Loaded query={turnover} what="table turnover">
          {(data) => (
            <>
              <dl className="metric-cards">
                <div className="metric-card" data-testid="turnover-average" data-value={data.overall.average_minutes}>
                  <dt>Average time at a table</dt>
                  <dd className="metric-card__value">{formatMinutes(data.overall.average_minutes)}</dd>
                  <dd className="metric-card__change">{change(data.overall)}</dd>
                </div>
                <div className="metric-card">
                  <dt>Median</dt>
                  <dd className="metric-card__value">{formatMinutes(data.overall.median_minutes)}</dd>
                </div>
                <div className="metric-card">
                  <dt>Orders closed</dt>
                  <dd className="metric-card__value">{formatCount(data.overall.orders)}</dd>
                </div>
              </dl>
              <BarChart
                title="Average minutes per table"
                data={data.tables.map((line) => {
                  const prior = before.get(keyOf(line));
                  return {
                    key: keyOf(line),
                    label: line.label,
                    value: Math.round(line.average_minutes),
                    previous: prior ? Math.round(prior.average_minutes) : undefined,
                  };
                })}
                categoryLabel="Table"
                valueLabel="Average minutes"
                formatValue={(value) => `${formatCount(value)} min`}
                orientation="horizontal"
                width={1200}
                emptyText="No order was closed in this period."
              />
              {data.tables.length > 0 && (
                <DataTable
                  testId="turnover-table"
                  className="report-table"
                  columns={[
                    "Table",
                    { label: "Orders", num: true },
                    { label: "Average", num: true },
                    { label: "Median", num: true },
                    { label: "vs previous", num: true },
                  ]}
                >
                  {data.tables.map((line) => (
                    <tr key={keyOf(line)}>
                      <th scope="row">{line.label}</th>
                      <td className="num">{formatCount(line.orders)}</td>
                      <td className="num">{formatMinutes(line.average_minutes)}</td>
                      <td className="num">{formatMinutes(line.median_minutes)}</td>
                      <td className="num">{change(line)}</td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </>
          )}
        </Loaded>
      </Section>
    </div>
  );
}

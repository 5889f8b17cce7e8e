// Who sold what: each waiter's orders, tables, revenue (against the previous period), average ticket, tips and
// covers, and the revenue as bars with the previous period's marker.
import { formatMoney } from "@tavolo/ui";
import { DataTable } from "../../../shared/data-table";
import { useWaiters } from "../api/analytics-api";
import { formatCount } from "../lib/format";
import { previousRange, type Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { SalesChart } from "./sales-chart";
import { Loaded, Section } from "./section";

export function WaitersPage({ range }: { range: Range }) {
  const waiters = useWaiters(range);
  const previous = useWaiters(previousRange(range));
  const before = new Map((previous.data?.waiters ?? []).map((line) => [line.waiter_id, line]));
  return (
    <div className="page">
      <Section title="Waiters" csv="waiters" range={range} testId="analytics-waiters">
        <Loaded query={waiters} what="waiters">
          {(data) => {
            const money = (amount: number) => formatMoney(amount, data.currency);
            return data.waiters.length === 0 ? (
              <p className="muted">No sales by a waiter in this period.</p>
            ) : (
              <DataTable
                testId="waiters-table"
                className="report-table"
                columns={[
                  "Waiter",
                  { label: "Orders", num: true },
                  { label: "Tables", num: true },
                  { label: "Revenue", num: true },
                  { label: "vs previous", num: true },
                  { label: "Average ticket", num: true },
                  { label: "Tips", num: true },
                  { label: "Covers", num: true },
                ]}
              >
                {data.waiters.map((line) => (
                  <tr key={line.waiter_id} data-testid="waiter-row">
                    <th scope="row">{line.name}</th>
                    <td className="num">{formatCount(line.orders)}</td>
                    <td className="num">{formatCount(line.tables)}</td>
                    <td className="num" data-amount={line.revenue}>
                      {money(line.revenue)}
                    </td>
                    <td className="num">
                      {previous.isSuccess ? (
                        <ChangeBadge value={line.revenue} previous={before.get(line.waiter_id)?.revenue ?? 0} />
                      ) : (
                        <span className="muted">…</span>
                      )}
                    </td>
                    <td className="num">{money(line.average_ticket)}</td>
                    <td className="num">{money(line.tips)}</td>
                    <td className="num">{formatCount(line.covers)}</td>
                  </tr>
                ))}
              </DataTable>
            );
          }}
        </Loaded>
      </Section>
      <SalesChart
        range={range}
        groupBy="waiter"
        title="Sales by waiter"
        orientation="horizontal"
        width={1200}
        testId="sales-by-waiter"
      />
    </div>
  );
}

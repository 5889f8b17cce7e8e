// The body of an X or a Z report: the headline amounts, the charts, and the figures a manager reads line by
// line (tax, tips, discounts, voids, cash) as tables.
import { Money } from "@tavolo/ui";
import type { ReactNode } from "react";
import { DataTable } from "../../../shared/data-table";
import type { XReport, ZReport } from "../api/reports-api";
import { percent } from "../lib/format";
import { ReportCharts } from "./report-charts";

type DayReport = Pick<
  XReport & ZReport,
  "by_hour" | "by_method" | "by_waiter" | "cash" | "currency" | "discounts" | "tax" | "totals" | "voids"
>;

const DISCOUNT_KINDS: Record<string, string> = { percent: "Percent off", amount: "Amount off", comp: "Comps" };

export function Headline({ items }: { items: { label: string; amount: number; currency: string; id: string }[] }) {
  return (
    <dl className="report-headline">
      {items.map((item) => (
        <div key={item.id} className="report-headline__item">
          <dt>{item.label}</dt>
          <dd>
            <Money amount={item.amount} currency={item.currency} data-testid={`figure-${item.id}`} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Row({ label, children, strong = false }: { label: ReactNode; children: ReactNode; strong?: boolean }) {
  return (
    <tr className={strong ? "report-table__total" : undefined}>
      <th scope="row">{label}</th>
      <td className="num">{children}</td>
    </tr>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table report-table" data-testid={testId}>
        <caption>{title}</caption>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function ReportBody({ report }: { report: DayReport }) {
  const { currency, totals, tax, discounts, voids, cash } = report;
  const money = (amount: number) => <Money amount={amount} currency={currency} />;
  return (
    <>
      <Headline
        items={[
          { id: "net-sales", label: "Net sales", amount: totals.net_sales, currency },
          { id: "tips", label: "Tips", amount: totals.tips, currency },
          { id: "collected", label: "Collected", amount: totals.collected, currency },
          { id: "tax", label: "Tax", amount: tax.total, currency },
        ]}
      />
      <ReportCharts
        byHour={report.by_hour}
        byMethod={report.by_method.map((line) => ({ key: line.method, name: line.name, amount: line.amount }))}
        byWaiter={report.by_waiter.map((line) => ({
          key: String(line.waiter_id),
          name: line.waiter_name,
          amount: line.sales,
        }))}
        currency={currency}
      />
      <section className="panel report-figures" aria-label="Figures" data-testid="report-figures">
        <Section title="Sales" testId="figures-sales">
          <Row label="Payments on bills">{money(totals.sales)}</Row>
          <Row label="Refunds">{money(-totals.refunds)}</Row>
          <Row label="Net sales" strong>
            {money(totals.net_sales)}
          </Row>
          <Row label="Tips">{money(totals.tips)}</Row>
          <Row label="Collected (net sales + tips)" strong>
            {money(totals.collected)}
          </Row>
        </Section>
        <Section
          title={`Tax (prices ${tax.tax_mode === "inclusive" ? "include" : "exclude"} tax)`}
          testId="figures-tax"
        >
          {!tax.computed && (
            <Row label="Not recorded">
              <span className="muted">This report was stored before tax was computed</span>
            </Row>
          )}
          {tax.lines.map((line) => (
            <Row
              key={`${line.name}-${line.rate_bp}`}
              label={
                <>
                  {line.name} {percent(line.rate_bp)} <span className="muted">on {money(line.taxable)}</span>
                </>
              }
            >
              {money(line.tax)}
            </Row>
          ))}
          <Row label="Tax total" strong>
            {money(tax.total)}
          </Row>
        </Section>
        <Section title="Discounts" testId="figures-discounts">
          {(discounts.by_kind ?? []).map((line) => (
            <Row key={line.kind} label={`${DISCOUNT_KINDS[line.kind] ?? line.kind} (${line.count})`}>
              {money(line.amount)}
            </Row>
          ))}
          <Row label={`All discounts (${discounts.count})`} strong>
            {money(discounts.amount)}
          </Row>
        </Section>
        <Section title="Voids" testId="figures-voids">
          {voids.by_user.map((line) => (
            <Row key={line.user_id ?? "none"} label={`${line.user_name ?? "Unknown"} (${line.quantity} items)`}>
              {money(line.amount)}
            </Row>
          ))}
          <Row label={`All voids (${voids.count} lines, ${voids.quantity} items)`} strong>
            {money(voids.amount)}
          </Row>
        </Section>
        <Section title="Cash" testId="figures-cash">
          <Row label="Cash payments">{money(cash.payments)}</Row>
          <Row label="Cash tips">{money(cash.tips)}</Row>
          <Row label="Cash refunds">{money(-cash.refunds)}</Row>
          <Row label="Pay-ins">{money(cash.pay_ins)}</Row>
          <Row label="Pay-outs">{money(-cash.pay_outs)}</Row>
          <Row label="Net cash (floats not included)" strong>
            {money(cash.net)}
          </Row>
        </Section>
      </section>
      <section className="panel" aria-labelledby="report-methods">
        <h2 id="report-methods" className="report-subhead">
          By payment method
        </h2>
        {report.by_method.length === 0 ? (
          <p className="muted">No payments in this period.</p>
        ) : (
          <DataTable
            columns={[
              "Method",
              { label: "Payments", num: true },
              { label: "Sales", num: true },
              { label: "Tips", num: true },
              { label: "Refunds", num: true },
              { label: "Brought in", num: true },
            ]}
            testId="methods-table"
          >
            {report.by_method.map((line) => (
              <tr key={line.method}>
                <th scope="row">{line.name}</th>
                <td className="num">{line.payments}</td>
                <td className="num">{money(line.amount)}</td>
                <td className="num">{money(line.tips)}</td>
                <td className="num">{money(line.refunds)}</td>
                <td className="num">{money(line.net)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <h2 className="report-subhead">By waiter</h2>
        {report.by_waiter.length === 0 ? (
          <p className="muted">No sales by a waiter in this period.</p>
        ) : (
          <DataTable
            columns={[
              "Waiter",
              { label: "Orders", num: true },
              { label: "Sales", num: true },
              { label: "Refunds", num: true },
              { label: "Tips", num: true },
            ]}
            testId="waiters-table"
          >
            {report.by_waiter.map((line) => (
              <tr key={line.waiter_id}>
                <th scope="row">{line.waiter_name}</th>
                <td className="num">{line.orders}</td>
                <td className="num">{money(line.sales)}</td>
                <td className="num">{money(line.refunds)}</td>
                <td className="num">{money(line.tips)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

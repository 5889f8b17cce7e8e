// Cash shifts, newest first, and the summary of one: orders, revenue by method and waiter, tips, cancellations.
import { EmptyState, Money, Spinner } from "@tavolo/ui";
import { Link } from "wouter";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatDateTime } from "../../../shared/format";
import { useShift, useShiftReport, useShifts, type ShiftReport } from "../api/reports-api";
import { Headline } from "./report-figures";
import { ReportCharts } from "./report-charts";

export function ShiftsPage() {
  const shifts = useShifts();
  const currency = useCurrency();
  const timeZone = useSiteInfo().data?.timezone;
  if (shifts.isPending) return <Spinner />;
  if (shifts.isError) {
    return (
      <ErrorBanner title="The shifts could not be loaded" error={shifts.error} />
    );
  }
  if (shifts.data.length === 0) {
    return <EmptyState title="No cash shifts yet">A shift starts when someone opens the till with a float.</EmptyState>;
  }
  const money = (amount: number | null) =>
    amount === null ? <span className="muted">—</span> : <Money amount={amount} currency={currency} />;
  return (
    <section className="panel" aria-labelledby="shifts-title">
      <h2 id="shifts-title" className="report-subhead">
        Cash shifts
      </h2>
      <DataTable
        columns={[
          "Opened",
          "Closed",
          "By",
          { label: "Expected cash", num: true },
          { label: "Counted", num: true },
          { label: "Variance", num: true },
          { label: "Report", hidden: true },
        ]}
        testId="shifts-table"
      >
        {shifts.data.map((shift) => (
          <tr key={shift.id}>
            <td>{formatDateTime(shift.opened_at, timeZone)}</td>
            <td>
              {shift.closed_at ? (
                formatDateTime(shift.closed_at, timeZone)
              ) : (
                <span className="badge badge--warn">Open</span>
              )}
            </td>
            <td>
              {shift.opened_by_name}
              {shift.closed_by_name && shift.closed_by_name !== shift.opened_by_name
                ? ` / ${shift.closed_by_name}`
                : ""}
            </td>
            <td className="num">{money(shift.expected_cash)}</td>
            <td className="num">{money(shift.counted_cash)}</td>
            <td className="num">{money(shift.variance)}</td>
            <td>
              <Link href={`/shifts/${shift.id}`} data-testid={`shift-report-${shift.id}`}>
                Shift report
              </Link>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export function ShiftReportPage({ shiftId }: { shiftId: number }) {
  const shift = useShift(shiftId);
  const report = useShiftReport(shift.data?.opened_at, shift.data ? shift.data.closed_at : null);
  if (shift.isError || report.isError) {
    return (
      <ErrorBanner title="The shift report could not be loaded" error={shift.error ?? report.error} />
    );
  }
  if (shift.isPending || report.isPending) return <Spinner />;
  return (
    <div className="page" data-testid="shift-report">
      <p>
        <Link href="/shifts">← All shifts</Link>
      </p>
      <ShiftReportView report={report.data} open={shift.data.status === "open"} />
    </div>
  );
}

function ShiftReportView({ report, open }: { report: ShiftReport; open: boolean }) {
  const { currency } = report;
  return (
    <>
      <div className="panel report-head">
        <h2 className="report-title">
          Shift report · {formatDateTime(report.period_start, report.timezone)} to{" "}
          {formatDateTime(report.period_end, report.timezone)}{" "}
          {open && <span className="badge badge--warn">Open · so far</span>}
        </h2>
        <p className="muted">
          {report.orders_opened} orders opened, {report.orders_closed} closed, {report.orders_cancelled}{" "}
          cancelled ·{" "}
          {report.items_sold} items sold · {report.paid_orders} paid orders
        </p>
      </div>
      <Headline
        items={[
          { id: "shift-revenue", label: "Revenue", amount: report.revenue_total, currency },
          { id: "shift-tips", label: "Tips", amount: report.tips_total, currency },
          { id: "shift-average", label: "Average ticket", amount: report.average_ticket, currency },
        ]}
      />
      <ReportCharts
        byHour={report.by_hour}
        byMethod={report.revenue_by_method.map((line) => ({
          key: line.method,
          name: line.method,
          amount: line.amount,
        }))}
        byWaiter={report.by_waiter.map((line) => ({
          key: String(line.waiter_id),
          name: line.waiter_name,
          amount: line.revenue,
        }))}
        currency={currency}
      />
      <section className="panel" aria-labelledby="shift-cancellations">
        <h2 id="shift-cancellations" className="report-subhead">
          Cancellations
        </h2>
        {report.cancellations.length === 0 ? (
          <p className="muted">Nothing was cancelled.</p>
        ) : (
          <DataTable columns={["When", "Table", "What", "By", "Reason", { label: "Amount", num: true }]}>
            {report.cancellations.map((line, index) => (
              <tr key={`${line.order_id}-${line.item_id ?? "order"}-${index}`}>
                <td>{formatDateTime(line.at, report.timezone)}</td>
                <td>{line.table_label}</td>
                <td>
                  {line.kind === "order" ? "Whole order" : `${line.quantity} × ${line.product_name ?? "item"}`}
                </td>
                <td>{line.by_name ?? "—"}</td>
                <td>{line.reason ?? "—"}</td>
                <td className="num">
                  <Money amount={line.amount} currency={currency} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

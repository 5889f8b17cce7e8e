// A business day's Z report: provisional while the day is open, as stored once closed. The manager picks the
// day, prints the report, and closes the day (which numbers and freezes it).
import { Banner, Button, EmptyState, FormError, Money, Sheet, Spinner } from "@tavolo/ui";
import { useId, useState } from "react";
import { useLocation } from "wouter";
import { useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { formatDateTime, formatDay, isDay, todayIn } from "../../../shared/format";
import { useCloseDay, usePrintZ, useZReport, type ZReport } from "../api/reports-api";
import { ReportBody } from "./report-figures";

export function ZReportPage({ day }: { day?: string }) {
  const site = useSiteInfo();
  const today = todayIn(site.data?.timezone);
  const selected = day && isDay(day) ? day : today;
  const [, navigate] = useLocation();
  const report = useZReport(selected);

  return (
    <div className="page" data-testid="z-report">
      <div className="toolbar">
        <Field label="Business day">
          {(control) => (
            <input
              {...control}
              type="date"
              value={selected}
              max={today}
              required
              data-testid="z-date"
              onChange={(event) => {
                const value = event.target.value;
                if (isDay(value)) navigate(value === today ? "/" : `/day/${value}`);
              }}
            />
          )}
        </Field>
        {selected !== today && (
          <Button onClick={() => navigate("/")} data-testid="z-today">
            Today
          </Button>
        )}
      </div>
      {report.isPending ? (
        <Spinner />
      ) : report.isError ? (
        <ErrorBanner title="The Z report could not be loaded" error={report.error} testId="z-error" />
      ) : (
        <ZReportView report={report.data} />
      )}
    </div>
  );
}

function ZReportView({ report }: { report: ZReport }) {
  const [confirming, setConfirming] = useState(false);
  const print = usePrintZ();
  const day = report.business_date;
  const empty = report.totals.payments === 0 && report.totals.refunds === 0 && report.shifts.length === 0;
  return (
    <>
      <div className="panel report-head">
        <div>
          <h2 className="report-title">
            Z report · {formatDay(day)}{" "}
            {report.closed && report.close ? (
              <span className="badge badge--ok" data-testid="z-state">
                Closed · Z {report.close.number}
              </span>
            ) : (
              <span className="badge badge--warn" data-testid="z-state">
                Open · provisional
              </span>
            )}
          </h2>
          <p className="muted">
            {formatDateTime(report.period_start, report.timezone)} to{" "}
            {formatDateTime(report.period_end, report.timezone)}{" "}
            ({report.timezone})
            {report.close &&
              ` · closed ${formatDateTime(report.close.closed_at, report.timezone)} ${
                report.close.auto ? "automatically" : `by ${report.close.closed_by_name ?? "a manager"}`
              }`}
          </p>
        </div>
        <div className="report-actions">
          <Button onClick={() => print.mutate(day)} busy={print.isPending} data-testid="z-print">
            Print Z report
          </Button>
          {!report.closed && (
            <Button variant="danger" onClick={() => setConfirming(true)} data-testid="z-close">
              Close the day…
            </Button>
          )}
        </div>
        {print.isSuccess && (
          <p className="report-note" role="status" data-testid="z-print-result">
            Sent to {print.data.printer_name}.
          </p>
        )}
        {print.isError && <FormError data-testid="z-print-error">{describeError(print.error)}</FormError>}
      </div>
      {report.late_activity && report.late_activity.payments > 0 && (
        <Banner tone="warn" title="Payments after the close">
          {report.late_activity.payments} payment(s) of{" "}
          <Money amount={report.late_activity.amount} currency={report.currency} /> were taken on this day after it was
          closed; they are not in the figures below.
        </Banner>
      )}
      {empty && (
        <EmptyState title="No sales on this day yet">Payments taken on this business day show up here.</EmptyState>
      )}
      <ReportBody report={report} />
      <ShiftsOfDay report={report} />
      {confirming && <CloseDayDialog day={day} onClose={() => setConfirming(false)} />}
    </>
  );
}

function ShiftsOfDay({ report }: { report: ZReport }) {
  const money = (amount: number | null) =>
    amount === null ? <span className="muted">—</span> : <Money amount={amount} currency={report.currency} />;
  return (
    <section className="panel" aria-labelledby="z-shifts">
      <h2 id="z-shifts" className="report-subhead">
        Cash shifts
      </h2>
      {report.shifts.length === 0 ? (
        <p className="muted">No cash shift on this day.</p>
      ) : (
        <DataTable
          columns={[
            "Opened",
            "Closed",
            { label: "Float", num: true },
            { label: "Expected cash", num: true },
            { label: "Counted", num: true },
            { label: "Variance", num: true },
          ]}
          footer={
            <tr>
              <th scope="row" colSpan={5}>
                Total variance
              </th>
              <td className="num">{money(report.variance_total)}</td>
            </tr>
          }
        >
          {report.shifts.map((shift) => (
            <tr key={shift.id}>
              <td>{formatDateTime(shift.opened_at, report.timezone)}</td>
              <td>{shift.closed_at ? formatDateTime(shift.closed_at, report.timezone) : "Open"}</td>
              <td className="num">{money(shift.opening_float)}</td>
              <td className="num">{money(shift.expected_cash)}</td>
              <td className="num">{money(shift.counted_cash)}</td>
              <td className="num">{money(shift.variance)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {report.outside_shift.payments > 0 && (
        <p className="muted">
          {report.outside_shift.payments} payment(s) of{" "}
          <Money amount={report.outside_shift.amount} currency={report.currency} /> were taken outside a cash shift.
        </p>
      )}
    </section>
  );
}

function CloseDayDialog({ day, onClose }: { day: string; onClose: () => void }) {
  const [print, setPrint] = useState(true);
  const close = useCloseDay();
  const printId = useId();
  return (
    <Sheet
      open
      onClose={onClose}
      title={`Close ${formatDay(day)}?`}
      dismissible={!close.isPending}
      data-testid="close-day-dialog"
      footer={
        <>
          <Button onClick={onClose} disabled={close.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            busy={close.isPending}
            data-testid="close-day-confirm"
            onClick={() => close.mutate({ date: day, print }, { onSuccess: onClose })}
          >
            Close the day
          </Button>
        </>
      }
    >
      <div className="dialog-form">
        <p>
          The Z report gets the next number and is stored as it is now; it can't be changed afterwards. Close every
          cash shift of the day first.
        </p>
        <label className="check" htmlFor={printId}>
          <input id={printId} type="checkbox" checked={print} onChange={(event) => setPrint(event.target.checked)} />
          Print the Z report on the report printer
        </label>
        {close.isError && <FormError data-testid="close-day-error">{describeError(close.error)}</FormError>}
      </div>
    </Sheet>
  );
}

// The print log: every job with its status, printer, attempts and last error; REPRINT and BACKUP marks; reprint.
// `?order=<id>` opens one order's log (the floor's order detail links here).
import { Button, EmptyState, Spinner } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { useSearch } from "wouter";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { usePrinters, usePrintLog, useReprint, type JobStatus, type PrintJob } from "../api/printers-api";
import { JobStatusBadge } from "./status-badge";

const STATUSES: { value: JobStatus; label: string }[] = [
  { value: "failed", label: "Failed" },
  { value: "pending", label: "Waiting" },
  { value: "printing", label: "Printing" },
  { value: "printed", label: "Printed" },
  { value: "cancelled", label: "Cancelled" },
];

const KINDS: Record<PrintJob["kind"], string> = {
  kitchen: "Kitchen ticket",
  void: "Void",
  bill: "Bill",
  receipt: "Receipt",
  test: "Test page",
  report: "Report",
};

function orderFromSearch(search: string): number | null {
  const value = new URLSearchParams(search).get("order");
  return value && /^[0-9]+$/.test(value) ? Number(value) : null;
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleString([], {
    day: "2-digit",
    month: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

function JobRow({ job, printerName }: { job: PrintJob; printerName: (id: number | null) => string | null }) {
  const reprint = useReprint();
  const printedOn = printerName(job.printed_by_printer_id ?? job.target_printer_id);
  const zone = job.zone_name ?? printerName(job.printer_id);
  return (
    <tr data-testid={`job-row-${job.id}`} data-kind={job.kind} data-reprint={job.reprint ? "yes" : "no"}>
      <td className="num">{job.id}</td>
      <td className="nowrap">{formatTime(job.created_at)}</td>
      <td>
        {KINDS[job.kind]}
        <div className="printers-marks">
          {job.mark && <span className="badge">{job.mark}</span>}
          {job.reprint && (
            <span className="badge badge--warn" data-testid="job-reprint">
              REPRINT
            </span>
          )}
          {job.on_backup && (
            <span className="badge badge--warn" data-testid="job-backup">
              BACKUP
            </span>
          )}
        </div>
      </td>
      <td>{job.order_id ?? <span className="muted">—</span>}</td>
      <td>
        {zone ?? <span className="muted">—</span>}
        {printedOn && printedOn !== zone && <div className="muted">on {printedOn}</div>}
      </td>
      <td>
        <JobStatusBadge status={job.status} />
      </td>
      <td className="num">{job.attempt_count}</td>
      <td className="printers-error">{job.last_error ?? <span className="muted">—</span>}</td>
      <td className="num">
        {job.status !== "cancelled" && (
          <Button
            busy={reprint.isPending}
            onClick={() => reprint.mutate(job.id)}
            data-testid="job-reprint-button"
            aria-label={`Reprint job ${job.id}`}
          >
            Reprint
          </Button>
        )}
        {reprint.isError && (
          <p className="field__error" role="alert">
            {describeError(reprint.error)}
          </p>
        )}
        {reprint.isSuccess && (
          <p className="muted" role="status">
            Queued as #{reprint.data.id}
          </p>
        )}
      </td>
    </tr>
  );
}

export function JobsPage() {
  const search = useSearch();
  const [orderText, setOrderText] = useState(() => String(orderFromSearch(search) ?? ""));
  const [orderId, setOrderId] = useState<number | null>(() => orderFromSearch(search));
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [orderProblem, setOrderProblem] = useState<string | null>(null);
  const log = usePrintLog({ orderId, status });
  const printers = usePrinters();
  const names = new Map((printers.data ?? []).map((printer) => [printer.id, printer.name]));
  const printerName = (id: number | null) => (id === null ? null : (names.get(id) ?? `#${id}`));
  const jobs = log.data?.pages.flat() ?? [];

  function applyOrder(event: FormEvent) {
    event.preventDefault();
    const text = orderText.trim();
    if (text === "") {
      setOrderId(null);
      setOrderProblem(null);
    } else if (/^[0-9]+$/.test(text) && Number(text) >= 1) {
      setOrderId(Number(text));
      setOrderProblem(null);
    } else {
      setOrderProblem("Enter an order number.");
    }
  }

  return (
    <div className="page">
      <div className="page-head">
        <h2 className="printers-subtitle">Print log</h2>
      </div>
      <form className="toolbar" onSubmit={applyOrder} role="search" aria-label="Filter the print log">
        <Field label="Order" error={orderProblem}>
          {(control) => (
            <input
              {...control}
              data-testid="jobs-order"
              inputMode="numeric"
              placeholder="All orders"
              value={orderText}
              onChange={(event) => setOrderText(event.target.value)}
            />
          )}
        </Field>
        <Field label="Status">
          {(control) => (
            <select
              {...control}
              data-testid="jobs-status"
              value={status ?? ""}
              onChange={(event) => setStatus(event.target.value === "" ? null : (event.target.value as JobStatus))}
            >
              <option value="">Any</option>
              {STATUSES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit">Show</Button>
        {orderId !== null && (
          <Button
            variant="ghost"
            onClick={() => {
              setOrderText("");
              setOrderId(null);
            }}
          >
            All orders
          </Button>
        )}
      </form>
      <div className="panel">
        {log.isPending ? (
          <Spinner label="Loading the print log" />
        ) : log.isError ? (
          <ErrorBanner title="The print log could not be loaded" error={log.error} />
        ) : jobs.length === 0 ? (
          <EmptyState title="Nothing printed yet">
            {orderId !== null || status !== null
              ? "No job matches these filters."
              : "Tickets, bills and test pages show here."}
          </EmptyState>
        ) : (
          <>
            <DataTable
              columns={[
                { label: "Job", num: true },
                "Created",
                "What",
                "Order",
                "Printer",
                "Status",
                { label: "Attempts", num: true },
                "Last error",
                { label: "Actions", hidden: true },
              ]}
              testId="jobs-table"
            >
              {jobs.map((job) => (
                <JobRow key={job.id} job={job} printerName={printerName} />
              ))}
            </DataTable>
            {log.hasNextPage && (
              <div className="printers-more">
                <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()} data-testid="jobs-more">
                  Show older jobs
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}

// What was printed for the order and where, with each ticket's outcome; any ticket can be printed again.
import type { Schemas } from "@tavolo/api";
import { Button, FormError } from "@tavolo/ui";
import { useState } from "react";
import { DataTable } from "../../../shared/data-table";
import { describeError } from "../../../shared/errors";
import { formatClock } from "../../../shared/format";
import { useOrderPrintJobs, usePrinters, useReprint } from "../api/order-api";

type PrintJob = Schemas["PrintJobRead"];

const KIND_LABELS: Record<PrintJob["kind"], string> = {
  kitchen: "Kitchen ticket",
  void: "Void ticket",
  bill: "Bill",
  receipt: "Receipt",
  test: "Test page",
  report: "Report",
};

const STATUS: Record<PrintJob["status"], { label: string; tone: string }> = {
  pending: { label: "Queued", tone: "" },
  printing: { label: "Printing", tone: "badge--warn" },
  printed: { label: "Printed", tone: "badge--ok" },
  failed: { label: "Failed", tone: "badge--error" },
  cancelled: { label: "Cancelled", tone: "" },
};

export function PrintLog({ orderId, timeZone, now }: { orderId: number; timeZone: string | undefined; now: number }) {
  const jobs = useOrderPrintJobs(orderId);
  const reprint = useReprint(orderId);
  const printers = usePrinters();
  // A bill or receipt has no zone: name the printer it went to (the backup, if it took over).
  const printerName = (job: PrintJob) => {
    const id = job.printed_by_printer_id ?? job.target_printer_id ?? job.printer_id;
    return printers.data?.find((printer) => printer.id === id)?.name ?? job.zone_name ?? "—";
  };
  const [sending, setSending] = useState<number | null>(null);
  return (
    <section className="order-section" aria-labelledby="order-print-title">
      <h3 id="order-print-title" className="order-section__title">
        Printing
      </h3>
      {jobs.error ? (
        <FormError>The print log could not be loaded: {describeError(jobs.error)}</FormError>
      ) : jobs.isPending ? (
        <p className="muted">Loading…</p>
      ) : jobs.data.length === 0 ? (
        <p className="muted">Nothing printed for this order.</p>
      ) : (
        <DataTable
          columns={["Time", "Ticket", "Printer", "Status", { label: "Action", hidden: true }]}
          testId="order-print-jobs"
        >
          {jobs.data.map((job) => {
            const status = STATUS[job.status];
            const label = `${KIND_LABELS[job.kind]}${job.mark ? ` (${job.mark})` : ""}`;
            return (
              <tr key={job.id} data-testid={`print-job-${job.id}`}>
                <td className="nowrap">{formatClock(job.created_at, timeZone, now)}</td>
                <td>
                  {label}
                  {job.reprint && <span className="muted"> · reprint</span>}
                </td>
                <td>
                  {printerName(job)}
                  {job.on_backup && <span className="muted"> · on backup</span>}
                </td>
                <td>
                  <span className={`badge ${status.tone}`} title={job.last_error ?? undefined}>
                    {status.label}
                  </span>
                </td>
                <td>
                  <Button
                    variant="ghost"
                    busy={reprint.isPending && sending === job.id}
                    disabled={reprint.isPending}
                    aria-label={`Reprint ${label} of ${formatClock(job.created_at, timeZone, now)}`}
                    data-testid={`print-job-${job.id}-reprint`}
                    onClick={() => {
                      setSending(job.id);
                      reprint.mutate(job.id);
                    }}
                  >
                    Reprint
                  </Button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {reprint.error && <FormError>Not reprinted: {describeError(reprint.error)}</FormError>}
    </section>
  );
}

// The printers: live state and queue, open alerts, products that would print nowhere, test print, add/edit/delete.
import { Banner, Button, EmptyState, Spinner } from "@tavolo/ui";
import { useState } from "react";
import { useSiteInfo } from "../../../lib/site";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { formatClock } from "../../../shared/format";
import {
  useAcknowledgeAlert,
  useAlerts,
  useDeletePrinter,
  useJob,
  usePrinters,
  usePrinterStatus,
  useTestPrint,
  useUnroutedProducts,
  type Printer,
  type PrintAlert,
} from "../api/printers-api";
import { PrinterDialog } from "./printer-dialog";
import { describePaper, JobStatusBadge, PrinterStatusBadge } from "./status-badge";

const UNROUTED_REASONS = {
  no_zone: "no printer chosen",
  unknown_printer: "its printer was deleted",
  inactive_printer: "its printer is out of service",
} as const;

/** The test page's fate: waiting, printed, or the printer's error. */
function TestResult({ jobId }: { jobId: number }) {
  const job = useJob(jobId);
  if (!job.data) return <span className="muted">Test page queued…</span>;
  return (
    <span className="printers-test" role="status" data-testid="test-result" data-status={job.data.status}>
      Test page <JobStatusBadge status={job.data.status} />
      {job.data.status === "failed" && job.data.last_error && (
        <span className="field__error"> {job.data.last_error}</span>
      )}
    </span>
  );
}

function AlertsPanel({ alerts }: { alerts: PrintAlert[] }) {
  const acknowledge = useAcknowledgeAlert();
  const timeZone = useSiteInfo().data?.timezone;
  if (alerts.length === 0) return null;
  return (
    <section className="panel printers-alerts" aria-labelledby="printer-alerts-title" data-testid="printer-alerts">
      <h2 id="printer-alerts-title" className="printers-subtitle">
        Open alerts ({alerts.length})
      </h2>
      <ul className="printers-alert-list">
        {alerts.map((alert) => (
          <li key={alert.id} data-testid={`alert-${alert.id}`}>
            <span className={`badge ${alert.acknowledged_at ? "badge--warn" : "badge--error"}`}>
              {alert.printer_name}
            </span>
            <span>
              {alert.message}
              {alert.order_id !== null && <span className="muted"> · order {alert.order_id}</span>}
              <span className="muted"> · {formatClock(alert.created_at, timeZone)}</span>
            </span>
            {alert.acknowledged_at ? (
              <span className="muted">Seen</span>
            ) : (
              <Button
                busy={acknowledge.isPending && acknowledge.variables === alert.id}
                onClick={() => acknowledge.mutate(alert.id)}
                data-testid="alert-ack"
              >
                Mark as seen
              </Button>
            )}
          </li>
        ))}
      </ul>
      {acknowledge.isError && <p className="field__error">{describeError(acknowledge.error)}</p>}
      <p className="muted">An alert closes by itself when its ticket prints or the paper is back.</p>
    </section>
  );
}

export function PrintersPage() {
  const printers = usePrinters();
  const status = usePrinterStatus();
  const alerts = useAlerts();
  const unrouted = useUnroutedProducts();
  const testPrint = useTestPrint();
  const remove = useDeletePrinter();
  const [tests, setTests] = useState<ReadonlyMap<number, number>>(new Map());
  const [editing, setEditing] = useState<{ printer?: Printer } | null>(null);
  const [deleting, setDeleting] = useState<Printer | null>(null);
  const all = printers.data ?? [];
  const names = new Map(all.map((printer) => [printer.id, printer.name]));
  const printerName = (id: number) => names.get(id) ?? `#${id}`;
  // The status route is asked more often than the list; its answer wins when both are there.
  const live = new Map((status.data ?? []).map((row) => [row.printer_id, row]));
  const openAlerts = (alerts.data ?? []).filter((alert) => alert.cleared_at === null);
  const orphans = unrouted.data ?? [];

  function runTest(printer: Printer) {
    testPrint.mutate(printer.id, {
      onSuccess: (job) => setTests((current) => new Map(current).set(printer.id, job.id)),
    });
  }

  function closeDelete() {
    remove.reset();
    setDeleting(null);
  }

  return (
    <div className="page">
      <AlertsPanel alerts={openAlerts} />
      {orphans.length > 0 && (
        <Banner
          tone="warn"
          title={`${orphans.length} ${orphans.length === 1 ? "product prints" : "products print"} nowhere`}
          data-testid="unrouted"
        >
          <ul className="printers-unrouted">
            {orphans.map((product) => (
              <li key={product.id}>
                {product.name} <span className="muted">({product.category_name})</span>:{" "}
                {UNROUTED_REASONS[product.reason]}
              </li>
            ))}
          </ul>
          Choose a printer for them (or their category) in the menu.
        </Banner>
      )}
      <div className="page-head">
        <h2 className="printers-subtitle">Printers</h2>
        <Button variant="primary" onClick={() => setEditing({})} data-testid="printer-add">
          Add printer
        </Button>
      </div>
      {testPrint.isError && (
        <ErrorBanner title="Test page not sent" error={testPrint.error} testId="test-error" />
      )}
      <div className="panel">
        {printers.isPending ? (
          <Spinner label="Loading printers" />
        ) : printers.isError ? (
          <ErrorBanner title="The printers could not be loaded" error={printers.error} />
        ) : all.length === 0 ? (
          <EmptyState
            title="No printers yet"
            action={
              <Button variant="primary" onClick={() => setEditing({})}>
                Add printer
              </Button>
            }
          >
            Add the kitchen and bar printers (network ESC/POS printers, usually port 9100). Each is a zone that
            products print to.
          </EmptyState>
        ) : (
          <DataTable
            columns={[
              "Printer",
              "State",
              { label: "Queue", num: true },
              "Paper",
              "Backup",
              { label: "Actions", hidden: true },
            ]}
            testId="printers-table"
          >
            {all.map((printer) => {
              const state = live.get(printer.id) ?? printer.status;
              const testJob = tests.get(printer.id);
              return (
                <tr key={printer.id} data-testid={`printer-row-${printer.name}`}>
                  <td>
                    <strong>{printer.name}</strong>
                    <div className="muted">
                      {printer.ip_address}:{printer.port} · {printer.code_page} · {printer.columns} columns
                    </div>
                  </td>
                  <td>
                    <PrinterStatusBadge status={state} />
                    {state.last_error && state.state !== "online" && (
                      <div className="muted printers-error">{state.last_error}</div>
                    )}
                  </td>
                  <td className="num" data-testid="printer-queue">
                    {state.queue_length}
                  </td>
                  <td data-testid="printer-paper">{describePaper(state)}</td>
                  <td>
                    {printer.backup_printer_id ? (
                      `${printerName(printer.backup_printer_id)} after ${printer.failover_seconds} s`
                    ) : (
                      <span className="muted">None</span>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <Button
                        busy={testPrint.isPending && testPrint.variables === printer.id}
                        disabled={!printer.is_active}
                        onClick={() => runTest(printer)}
                        data-testid="printer-test"
                        aria-label={`Test print on ${printer.name}`}
                      >
                        Test print
                      </Button>
                      <Button
                        onClick={() => setEditing({ printer })}
                        data-testid="printer-edit"
                        aria-label={`Edit ${printer.name}`}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="ghost"
                        onClick={() => setDeleting(printer)}
                        data-testid="printer-delete"
                        aria-label={`Delete ${printer.name}`}
                      >
                        Delete
                      </Button>
                    </div>
                    {testJob !== undefined && <TestResult jobId={testJob} />}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
      {editing && <PrinterDialog printer={editing.printer} printers={all} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete printer"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting.id, { onSuccess: closeDelete })}
          onClose={closeDelete}
        >
          <p>
            Only a printer that no product, category, other printer (as backup) or waiting ticket uses can be deleted.
            To stop using one for now, edit it and take it out of service instead.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

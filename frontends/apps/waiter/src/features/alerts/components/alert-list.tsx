import type { PrintAlert } from "@tavolo/api";
import { Button, formatElapsed } from "@tavolo/ui";
import { Link } from "wouter";
import "./alert-banner.css";

const KIND_LABELS: Record<PrintAlert["kind"], string> = {
  printer_failing: "Not printing",
  paper_out: "Out of paper",
  failover: "Printed on the backup printer",
  test_failed: "Test page failed",
};

const ago = (elapsed: string) => (elapsed === "now" || elapsed === "" ? elapsed : `${elapsed} ago`);

export interface AlertListProps {
  alerts: readonly PrintAlert[];
  onAcknowledge: (alert: PrintAlert) => void;
  /** "T4" for an order's table when known. */
  tableLabel?: (orderId: number) => string | null;
  now: number;
}

/**
 * Printer problems with this waiter's tickets. New ones are loud and need an OK; acknowledged ones shrink to a
 * line and stay until the appliance says the cause is gone (the ticket printed, the paper is back).
 */
export function AlertList({ alerts, onAcknowledge, tableLabel, now }: AlertListProps) {
  if (alerts.length === 0) return null;
  // New first; the appliance already sends each group newest first.
  const fresh = alerts.filter((alert) => !alert.acknowledged_at);
  const ordered = [...fresh, ...alerts.filter((alert) => alert.acknowledged_at)];

  // Only a new alert is role="alert" (the banner itself is not): it is re-rendered on every poll, and an alert
  // the waiter already acknowledged must not be read out again.
  return (
    <section
      className={fresh.length > 0 ? "alerts" : "alerts alerts--seen"}
      data-testid="alert-banner"
      aria-label="Printer problems"
    >
      {fresh.length > 0 && (
        <h2 className="alerts__title">
          {fresh.length === 1 ? "Printer problem" : `${fresh.length} printer problems`}
        </h2>
      )}
      <ul className="alerts__list">
        {ordered.map((alert) => {
          const seen = Boolean(alert.acknowledged_at);
          const table = alert.order_id !== null ? (tableLabel?.(alert.order_id) ?? null) : null;
          return (
            <li
              key={alert.id}
              className={seen ? "alert alert--seen" : `alert alert--${alert.kind === "failover" ? "warn" : "error"}`}
              data-testid="printer-alert"
              data-alert-id={alert.id}
              data-acknowledged={String(seen)}
            >
              <div className="alert__text" role={seen ? undefined : "alert"}>
                <p className="alert__head">
                  <strong>{alert.printer_name}</strong> · {KIND_LABELS[alert.kind]}
                </p>
                {!seen && <p className="alert__message">{alert.message}</p>}
                <p className="alert__meta">
                  {alert.order_id !== null && (
                    <Link href={`/order/${alert.order_id}`} className="alert__link">
                      {table ? (/^\d+$/.test(table) ? `Table ${table}` : table) : `Order #${alert.order_id}`}
                    </Link>
                  )}
                  <span>{ago(formatElapsed(alert.created_at, now))}</span>
                </p>
              </div>
              {!seen && (
                <Button variant="primary" data-testid="alert-ack" onClick={() => onAcknowledge(alert)}>
                  OK
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

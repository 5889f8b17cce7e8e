import type { SiteAlert } from "@tavolo/api";
import { Banner, Button, EmptyState, Spinner } from "@tavolo/ui";
import { Link } from "wouter";
import { describeError } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { useTitle } from "../../../lib/use-title";
import { useAlerts } from "../hooks/use-alerts";

const KIND_LABEL: Record<SiteAlert["kind"], string> = {
  site_stale: "Stale",
  license_expiring: "License expiring",
};

/** What the cloud's jobs raised across every site (stale appliances, licenses about to expire), newest first. */
export function AlertsScreen() {
  useTitle("Alerts");
  const alerts = useAlerts();
  return (
    <div className="page">
      <div className="page-head">
        <h1 tabIndex={-1}>Alerts</h1>
      </div>
      {alerts.isError && (
        <Banner
          tone="error"
          title="The alerts could not be loaded"
          action={
            <Button onClick={() => void alerts.refetch()} busy={alerts.isFetching}>
              Retry
            </Button>
          }
        >
          {describeError(alerts.error)}
        </Banner>
      )}
      {alerts.isPending && !alerts.isError && <Spinner label="Loading alerts" />}
      {alerts.data && alerts.data.length === 0 && (
        <EmptyState title="No alerts">Stale sites and licenses about to expire show here.</EmptyState>
      )}
      {alerts.data && alerts.data.length > 0 && (
        <div className="table-wrap panel">
          <table className="table" data-testid="alerts-table">
            <caption className="visually-hidden">Alerts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Site</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((alert) => (
                <tr key={alert.id}>
                  <td className="nowrap">
                    <time dateTime={alert.created_at}>{formatDateTime(alert.created_at)}</time>
                  </td>
                  <td>{KIND_LABEL[alert.kind]}</td>
                  <td>
                    <Link href={`/sites/${encodeURIComponent(alert.site_id)}`} className="mono">
                      {alert.site_id}
                    </Link>
                  </td>
                  <td>{alert.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

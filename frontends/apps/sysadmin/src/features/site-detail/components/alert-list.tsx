import type { SiteAlert } from "@tavolo/api";
import { formatDateTime } from "../../../lib/format";

const KIND_LABEL: Record<SiteAlert["kind"], string> = {
  site_stale: "Stale",
  license_expiring: "License expiring",
};

export function AlertList({ alerts }: { alerts: SiteAlert[] }) {
  if (alerts.length === 0) return <p className="muted">No alerts.</p>;
  return (
    <ul className="alerts" data-testid="site-alerts">
      {alerts.map((alert) => (
        <li key={alert.id} className={`alerts__item alerts__item--${alert.kind}`}>
          <span className="alerts__kind">{KIND_LABEL[alert.kind]}</span>
          <span className="alerts__message">{alert.message}</span>
          <time className="alerts__time" dateTime={alert.created_at}>
            {formatDateTime(alert.created_at)}
          </time>
        </li>
      ))}
    </ul>
  );
}

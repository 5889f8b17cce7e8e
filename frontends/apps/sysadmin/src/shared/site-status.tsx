// A site's status as a coloured badge that always says its name too (never colour alone).
import type { SiteStatus } from "@tavolo/api";

export const STATUS_ORDER: readonly SiteStatus[] = ["active", "locked", "expired", "stale", "never_seen"];

export const STATUS_LABEL: Record<SiteStatus, string> = {
  active: "Active",
  locked: "Locked",
  expired: "Expired",
  stale: "Stale",
  never_seen: "Never seen",
};

/** What each status means, for the badge's tooltip and the overview's tiles. */
export const STATUS_HINT: Record<SiteStatus, string> = {
  active: "Licensed and heartbeating",
  locked: "Locked by a sysadmin: the appliance takes no new orders",
  expired: "Paid-through date has passed",
  stale: "No heartbeat for longer than the interval plus its grace",
  never_seen: "Registered, but the appliance has not heartbeated yet",
};

export function isSiteStatus(value: string | null): value is SiteStatus {
  return value !== null && value in STATUS_LABEL;
}

export function StatusBadge({ status, "data-testid": testId }: { status: SiteStatus; "data-testid"?: string }) {
  return (
    <span className={`status status--${status}`} title={STATUS_HINT[status]} data-status={status} data-testid={testId}>
      <span className="status__dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

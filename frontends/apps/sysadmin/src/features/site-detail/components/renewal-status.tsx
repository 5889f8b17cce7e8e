// A renewal's state as a badge in words (never colour alone), and which renewal is still payable.
import type { Renewal, RenewalStatus } from "../api/renewals-api";

export const RENEWAL_STATUS_LABEL: Record<RenewalStatus, string> = {
  created: "Awaiting payment",
  paid: "Paid",
  expired: "Expired",
  cancelled: "Cancelled",
};

export function RenewalBadge({ status }: { status: RenewalStatus }) {
  return (
    <span className={`status renewal-status--${status}`} data-status={status} data-testid="renewal-status">
      <span className="status__dot" aria-hidden="true" />
      {RENEWAL_STATUS_LABEL[status]}
    </span>
  );
}

/** The newest link the restaurant can still pay (unpaid, not run out); `renewals` is newest first. */
export function findOpenRenewal(renewals: readonly Renewal[], now: number): Renewal | null {
  return (
    renewals.find(
      (renewal) =>
        renewal.status === "created" && (renewal.expire_by === null || Date.parse(renewal.expire_by) > now),
    ) ?? null
  );
}

export function monthsText(months: number): string {
  return months === 1 ? "1 month" : `${months} months`;
}

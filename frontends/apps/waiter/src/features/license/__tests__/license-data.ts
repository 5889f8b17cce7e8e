// License answers shaped by the generated types, as GET /api/license gives them.
import type { License } from "../../../shared/license";

export function license(overrides: Partial<License> = {}): License {
  const state = overrides.state ?? "active";
  return {
    state,
    code: "ACTIVE",
    reason: "Licensed through 2026-12-31 00:00 UTC.",
    paid_through: "2026-12-31T00:00:00Z",
    lease_expires_at: "2026-11-03T15:00:00Z",
    last_heartbeat_at: "2026-11-02T09:00:00Z",
    next_attempt_at: "2026-11-02T15:00:00Z",
    trial_ends_at: null,
    days_left: 59,
    lock_reason: null,
    allows_orders: state !== "restricted" && state !== "locked",
    configured: true,
    site_id: "site_kafeneio01",
    cloud_url: "https://cloud.tavolo.test",
    last_attempt_at: "2026-11-02T09:00:00Z",
    last_error: null,
    ...overrides,
  };
}

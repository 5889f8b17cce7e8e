// Sites and their renewals as the cloud sends them.
import type { CloudSchemas, SiteDetail, SiteRead, SiteStatus } from "@tavolo/api";

export function site(overrides: Partial<SiteRead> & { name: string; status: SiteStatus }): SiteRead {
  const id = overrides.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    site_id: `site_${id}`,
    owner_name: "Anna Papadopoulou",
    contact_email: "anna@example.com",
    is_locked: overrides.status === "locked",
    lock_reason: overrides.status === "locked" ? "Unpaid invoice" : null,
    license_expires_at: "2031-01-31T23:59:59Z",
    grace_hours: 24,
    last_seen_at: "2030-06-01T10:00:00Z",
    last_seen_ip: "203.0.113.7",
    last_version: "0.4.2",
    created_at: "2030-01-01T09:00:00Z",
    updated_at: "2030-01-01T09:00:00Z",
    ...overrides,
  };
}

export function detail(overrides: Partial<SiteDetail> & { name: string; status: SiteStatus }): SiteDetail {
  return {
    ...site(overrides),
    locked_at: null,
    last_uptime_seconds: 3_600,
    heartbeat_count: 2,
    stale_since: null,
    lease_expires_at: "2030-06-01T16:00:00Z",
    recent_heartbeats: [
      { at: "2030-06-01T10:00:00Z", ip: "203.0.113.7", version: "0.4.2", uptime_seconds: 3_600 },
      { at: "2030-06-01T04:00:00Z", ip: "203.0.113.7", version: "0.4.1", uptime_seconds: 60 },
    ],
    alerts: [],
    ...overrides,
  };
}

type Renewal = CloudSchemas["RenewalRead"];

/** A renewal as the cloud sends it: by default a 12-month link waiting to be paid. */
export function renewal(overrides: Partial<Renewal> & { id: number }): Renewal {
  return {
    site_id: "site_taverna-nikos",
    months: 12,
    amount: 1_800_000,
    currency: "INR",
    payment_link_id: `plink_T${String(overrides.id).padStart(6, "0")}`,
    short_url: `https://rzp.io/i/T${overrides.id}`,
    reference_id: `tvr_${overrides.id}`,
    status: "created",
    created_at: "2030-06-01T09:00:00Z",
    expire_by: "2099-07-01T09:00:00Z",
    created_by: "Vendor Admin",
    paid_at: null,
    amount_paid: null,
    razorpay_payment_id: null,
    extended_from: null,
    extended_to: null,
    ...overrides,
  };
}

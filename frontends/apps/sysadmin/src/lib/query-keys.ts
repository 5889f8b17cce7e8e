// Query keys shared by the features: an action on one site (site-detail) must refresh the overview (sites).
export const siteKeys = {
  all: ["sites"] as const,
  summary: () => ["sites", "summary"] as const,
  list: (filter: { status: string | null; q: string }) => ["sites", "list", filter] as const,
  detail: (siteId: string) => ["sites", "detail", siteId] as const,
  // Under "sites": any action on a site (a manual extension, a new renewal link) reads its payments again too.
  renewals: (siteId: string) => ["sites", "renewals", siteId] as const,
};

export const auditKeys = {
  all: ["audit"] as const,
  list: (siteId: string | null) => ["audit", "list", siteId] as const,
};

export const alertKeys = {
  all: ["alerts"] as const,
};

export const meKey = ["me"] as const;

/** The overview and detail screens poll the cloud this often (heartbeats arrive every few hours per site). */
export const REFRESH_MS = 30_000;

import { unwrap, type AuditEvent } from "@tavolo/api";
import { cloud } from "../../../lib/api";

export const PAGE_SIZE = 50;

/** One page of the audit trail, newest first; `beforeId` pages back. */
export function fetchAudit(
  { siteId, beforeId }: { siteId: string | null; beforeId: number | null },
  signal?: AbortSignal,
): Promise<AuditEvent[]> {
  const query: { limit: number; site_id?: string; before_id?: number } = { limit: PAGE_SIZE };
  if (siteId) query.site_id = siteId;
  if (beforeId !== null) query.before_id = beforeId;
  return unwrap(cloud.GET("/api/audit/", { params: { query }, signal }));
}

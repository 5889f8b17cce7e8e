import { unwrap, type SiteDetail, type SiteKey, type SiteRead, type SiteUpdate } from "@tavolo/api";
import { cloud } from "../../../lib/api";

const path = (siteId: string) => ({ path: { site_id: siteId } });

export function fetchSite(siteId: string, signal?: AbortSignal): Promise<SiteDetail> {
  return unwrap(cloud.GET("/api/sites/{site_id}", { params: path(siteId), signal }));
}

export function lockSite(siteId: string, reason: string): Promise<SiteRead> {
  return unwrap(cloud.POST("/api/sites/{site_id}/lock", { params: path(siteId), body: { reason } }));
}

export function unlockSite(siteId: string): Promise<SiteRead> {
  return unwrap(cloud.POST("/api/sites/{site_id}/unlock", { params: path(siteId) }));
}

export function extendSite(siteId: string, days: number): Promise<SiteRead> {
  return unwrap(cloud.POST("/api/sites/{site_id}/extend", { params: path(siteId), body: { days } }));
}

export function updateSite(siteId: string, changes: SiteUpdate): Promise<SiteRead> {
  return unwrap(cloud.PUT("/api/sites/{site_id}", { params: path(siteId), body: changes }));
}

export function rotateKey(siteId: string): Promise<SiteKey> {
  return unwrap(cloud.POST("/api/sites/{site_id}/rotate-key", { params: path(siteId) }));
}

export async function deregisterSite(siteId: string): Promise<void> {
  await unwrap(cloud.DELETE("/api/sites/{site_id}", { params: path(siteId) }));
}

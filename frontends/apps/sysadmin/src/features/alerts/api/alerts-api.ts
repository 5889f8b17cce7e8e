import { unwrap, type SiteAlert } from "@tavolo/api";
import { cloud } from "../../../lib/api";

export function fetchAlerts(signal?: AbortSignal): Promise<SiteAlert[]> {
  return unwrap(cloud.GET("/api/alerts/", { params: { query: { limit: 200 } }, signal }));
}

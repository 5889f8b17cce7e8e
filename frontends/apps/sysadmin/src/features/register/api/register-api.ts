import { unwrap, type SiteCreate, type SiteCreated } from "@tavolo/api";
import { cloud } from "../../../lib/api";

export function registerSite(site: SiteCreate): Promise<SiteCreated> {
  return unwrap(cloud.POST("/api/sites/", { body: site }));
}

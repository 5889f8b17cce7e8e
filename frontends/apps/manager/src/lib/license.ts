// The appliance's license, read by the alerts banner and the settings screen (two features, so it lives here).
import { unwrap, type Schemas } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import { usePollInterval } from "./live";
import { keys } from "./query-keys";

export type License = Schemas["LicenseRead"];

/** Changes are pushed (license.changed) while the event socket is up; this is the fallback while it is not. */
export function useLicense() {
  return useQuery({
    queryKey: keys.license,
    queryFn: () => unwrap(api.GET("/api/license")),
    refetchInterval: usePollInterval(60_000),
  });
}

/** A license the manager should act on: anything but a healthy paid license or a running trial. */
export function licenseNeedsAttention(license: License | undefined): boolean {
  return license !== undefined && license.code !== "ACTIVE" && license.code !== "TRIAL";
}

// The restaurant's name and currency (public /api/system/info).
import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";

export function useSiteInfo() {
  return useQuery({
    queryKey: ["site-info"],
    queryFn: () => unwrap(api.GET("/api/system/info")),
    staleTime: 60_000,
  });
}

/** The site's currency code, "EUR" until the info has loaded. */
export function useCurrency(): string {
  return useSiteInfo().data?.currency ?? "EUR";
}

// The overview's filter lives in the address (?status=locked&q=taverna&sort=-last_seen_at): back from a site
// returns to the same list, and a filtered view can be bookmarked or shared.
import type { SiteSort } from "@tavolo/api";
import { useCallback } from "react";
import { useSearchParams } from "wouter";
import { isSiteStatus } from "../../../shared/site-status";
import type { SiteFilter } from "../api/sites-api";

export const SORTS: { value: SiteSort; label: string }[] = [
  { value: "name", label: "Name" },
  { value: "status", label: "Status (locked first)" },
  { value: "-last_seen_at", label: "Last seen (newest first)" },
  { value: "last_seen_at", label: "Last seen (oldest first)" },
  { value: "license_expires_at", label: "Paid through (soonest first)" },
  { value: "-created_at", label: "Registered (newest first)" },
];

function isSort(value: string | null): value is SiteSort {
  return SORTS.some((sort) => sort.value === value);
}

export function useSiteFilter(): [SiteFilter, (change: Partial<SiteFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const status = params.get("status");
  const sort = params.get("sort");
  const filter: SiteFilter = {
    status: isSiteStatus(status) ? status : null,
    q: params.get("q") ?? "",
    sort: isSort(sort) ? sort : "name",
  };
  const update = useCallback(
    (change: Partial<SiteFilter>) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(change)) {
            if (value && !(key === "sort" && value === "name")) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        // Typing in the search box must not fill the history with one entry per letter.
        { replace: "q" in change },
      );
    },
    [setParams],
  );
  return [filter, update];
}

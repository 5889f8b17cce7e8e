// The appliance's license as every screen needs it: the banner (features/license) says what is going on, and
// the screens that open tables or send items switch those actions off while the appliance would refuse them,
// so a waiter never queues an order that cannot go. It lives here because those are three features.
import { unwrap, type Schemas } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../lib/api";
import { usePollInterval } from "../lib/live";
import { useSiteInfo } from "../lib/site";

export type License = Schemas["LicenseRead"];

/** Changes are pushed (license.changed) while the event socket is up; this is the fallback while it is not. */
export const LICENSE_POLL_MS = 3 * 60_000;

export function useLicense() {
  return useQuery({
    queryKey: ["license"],
    queryFn: () => unwrap(api.GET("/api/license")),
    refetchInterval: usePollInterval(LICENSE_POLL_MS),
    staleTime: 30_000,
  });
}

function sentence(text: string): string {
  return text.trim().replace(/[.\s]+$/, "");
}

/** A moment in the restaurant's time zone (the phone's own if that one is unknown here). */
export function formatMoment(iso: string, options: Intl.DateTimeFormatOptions, timeZone?: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(moment);
  } catch {
    return new Intl.DateTimeFormat("en-GB", options).format(moment);
  }
}

function day(iso: string, timeZone?: string): string {
  return formatMoment(iso, { day: "numeric", month: "long", year: "numeric" }, timeZone);
}

/** Why new orders are refused, in plain words (lower case, no final stop): "the free trial has ended". */
export function pausedWords(license: License, timeZone?: string): string {
  switch (license.code) {
    case "LICENSE_LOCKED":
      return `this restaurant's license is locked (${sentence(license.lock_reason ?? "") || "no reason given"})`;
    case "LICENSE_EXPIRED":
      return license.paid_through
        ? `the license expired on ${day(license.paid_through, timeZone)}`
        : "the license has expired";
    case "LEASE_EXPIRED":
      return "the appliance has not reached the licensing service for too long";
    case "CLOCK_SUSPECT":
      return "the appliance's clock was set back";
    case "TRIAL_ENDED":
      return "the free trial has ended";
    default:
      return sentence(license.reason);
  }
}

/**
 * Why a new order or new items cannot be sent now ("New orders are paused: …"), or null while the license
 * allows them — and while it is not known: the appliance decides anyway, and the outbox keeps a refused write.
 */
export function ordersPaused(license: License | undefined, timeZone?: string): string | null {
  if (!license || license.allows_orders) return null;
  return `New orders are paused: ${pausedWords(license, timeZone)}. Open bills can still be paid and closed.`;
}

/** ordersPaused for the license as this phone last heard it. */
export function useOrdersPaused(): string | null {
  return ordersPaused(useLicense().data, useSiteInfo().data?.timezone);
}

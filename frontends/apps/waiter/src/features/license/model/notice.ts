// What the license banner says, per state and code: plain words for a waiter in a rush, and whom to tell.
import type { BannerTone } from "@tavolo/ui";
import { formatMoment, pausedWords, type License } from "../../../shared/license";

export interface LicenseNotice {
  tone: BannerTone;
  title: string;
  body: string | null;
  /** A quiet strip rather than a full banner (the last days of the trial). */
  compact: boolean;
}

/** The trial is only mentioned in its last days: before that it is none of the waiters' business. */
export const TRIAL_NOTE_DAYS = 3;

const WHAT_TO_DO: Partial<Record<License["code"], string>> = {
  LICENSE_EXPIRED: "Tell the manager: orders work again once the license is renewed.",
  LEASE_EXPIRED: "Tell the manager: the appliance needs the internet to check its license.",
  CLOCK_SUSPECT: "Tell the manager: set the correct time on the appliance, then sync the license.",
  TRIAL_ENDED: "Tell the manager: activate a license to take orders again.",
};

function days(count: number): string {
  return count === 1 ? "1 day" : `${count} days`;
}

/** "Tue 3 Nov, 14:05" in the restaurant's time zone. */
function moment(iso: string, timeZone?: string): string {
  return formatMoment(
    iso,
    { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
    timeZone,
  );
}

function warning(license: License, timeZone?: string): LicenseNotice {
  const notice = (title: string, body: string | null): LicenseNotice => ({ tone: "warn", title, body, compact: false });
  switch (license.code) {
    case "LICENSE_EXPIRING": {
      const left = license.days_left ?? 0;
      return notice(
        left <= 0 ? "License ends today — tell the manager" : `License ends in ${days(left)} — tell the manager`,
        "Orders work as usual until then.",
      );
    }
    case "LEASE_EXPIRING":
      return notice(
        license.last_heartbeat_at
          ? `No contact with the licensing service since ${moment(license.last_heartbeat_at, timeZone)}`
          : "No contact with the licensing service lately",
        license.lease_expires_at
          ? `New orders will pause at ${moment(license.lease_expires_at, timeZone)} unless the appliance reaches ` +
              "it. Tell the manager."
          : "New orders will pause unless the appliance reaches it soon. Tell the manager.",
      );
    case "HEARTBEAT_REJECTED":
      return notice(
        "The licensing service refused this appliance's last check — tell the manager",
        "Orders work as usual for now.",
      );
    default:
      return notice(license.reason, null);
  }
}

/** The banner for this license, or null when there is nothing a waiter needs to know. */
export function licenseNotice(license: License, timeZone?: string): LicenseNotice | null {
  switch (license.state) {
    case "active":
      return null;
    case "trial": {
      const left = license.days_left;
      if (left === null || left > TRIAL_NOTE_DAYS) return null;
      const title =
        left <= 0
          ? "The free trial ends today — tell the manager to activate the license"
          : `Trial: ${days(left)} left — tell the manager to activate the license`;
      return { tone: "info", title, body: null, compact: true };
    }
    case "warning":
      return warning(license, timeZone);
    case "restricted":
      return {
        tone: "error",
        title: `New orders are paused: ${pausedWords(license, timeZone)}. Open bills can still be paid and closed.`,
        body: WHAT_TO_DO[license.code] ?? "Tell the manager.",
        compact: false,
      };
    case "locked": {
      const reason = (license.lock_reason ?? "").trim().replace(/[.\s]+$/, "") || "no reason given";
      return {
        tone: "error",
        title: `This restaurant's license is locked: ${reason}.`,
        body: "New orders are paused. Open bills can still be paid and closed. Tell the manager.",
        compact: false,
      };
    }
  }
}

/** The writes refused for the license, kept on this phone: what happens to them. */
export function refusedText(count: number, canSend: boolean): string {
  const what = count === 1 ? "1 change was" : `${count} changes were`;
  const them = count === 1 ? "it" : "them";
  return canSend
    ? `${what} refused while new orders were paused. Kept on this phone: send ${them} again now.`
    : `${what} refused for the license. Kept on this phone: send ${them} again once the license is fixed.`;
}

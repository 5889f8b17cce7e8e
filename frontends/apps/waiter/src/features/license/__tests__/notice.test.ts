import { describe, expect, it } from "vitest";
import { ordersPaused } from "../../../shared/license";
import { licenseNotice, refusedText } from "../model/notice";
import { license } from "./license-data";

const ATHENS = "Europe/Athens";

describe("licenseNotice", () => {
  it("says nothing while the license is active", () => {
    expect(licenseNotice(license())).toBeNull();
  });

  it("says nothing for a trial with more than three days left, then a quiet note", () => {
    const trial = (days_left: number) =>
      license({ state: "trial", code: "TRIAL", configured: false, days_left, paid_through: null });
    expect(licenseNotice(trial(12))).toBeNull();
    expect(licenseNotice(trial(4))).toBeNull();
    expect(licenseNotice(trial(3))).toEqual({
      tone: "info",
      compact: true,
      title: "Trial: 3 days left — tell the manager to activate the license",
      body: null,
    });
    expect(licenseNotice(trial(1))?.title).toBe("Trial: 1 day left — tell the manager to activate the license");
  });

  it("warns of a license about to end, with the days left", () => {
    const notice = licenseNotice(license({ state: "warning", code: "LICENSE_EXPIRING", days_left: 5 }));
    expect(notice).toMatchObject({ tone: "warn", title: "License ends in 5 days — tell the manager" });
    expect(notice?.body).toBe("Orders work as usual until then.");
    expect(licenseNotice(license({ state: "warning", code: "LICENSE_EXPIRING", days_left: 1 }))?.title).toBe(
      "License ends in 1 day — tell the manager",
    );
  });

  it("warns of a lease running out since the last contact, in the restaurant's time", () => {
    const notice = licenseNotice(
      license({
        state: "warning",
        code: "LEASE_EXPIRING",
        last_heartbeat_at: "2026-11-02T09:00:00Z",
        lease_expires_at: "2026-11-03T15:00:00Z",
      }),
      ATHENS,
    );
    expect(notice?.tone).toBe("warn");
    expect(notice?.title).toBe("No contact with the licensing service since Mon 2 Nov, 11:00");
    expect(notice?.body).toBe(
      "New orders will pause at Tue 3 Nov, 17:00 unless the appliance reaches it. Tell the manager.",
    );
  });

  it("warns when the licensing service refused the last check", () => {
    expect(licenseNotice(license({ state: "warning", code: "HEARTBEAT_REJECTED" }))?.title).toBe(
      "The licensing service refused this appliance's last check — tell the manager",
    );
  });

  it.each([
    [
      "LICENSE_EXPIRED",
      "New orders are paused: the license expired on 31 October 2026. Open bills can still be paid and closed.",
      "Tell the manager: orders work again once the license is renewed.",
    ],
    [
      "LEASE_EXPIRED",
      "New orders are paused: the appliance has not reached the licensing service for too long. Open bills can " +
        "still be paid and closed.",
      "Tell the manager: the appliance needs the internet to check its license.",
    ],
    [
      "CLOCK_SUSPECT",
      "New orders are paused: the appliance's clock was set back. Open bills can still be paid and closed.",
      "Tell the manager: set the correct time on the appliance, then sync the license.",
    ],
    [
      "TRIAL_ENDED",
      "New orders are paused: the free trial has ended. Open bills can still be paid and closed.",
      "Tell the manager: activate a license to take orders again.",
    ],
  ] as const)("explains restricted/%s in plain words, with what still works", (code, title, body) => {
    const restricted = license({ state: "restricted", code, paid_through: "2026-10-31T12:00:00Z", days_left: 0 });
    expect(licenseNotice(restricted, ATHENS)).toEqual({ tone: "error", compact: false, title, body });
  });

  it("gives the vendor's reason for a locked license", () => {
    const locked = license({ state: "locked", code: "LICENSE_LOCKED", lock_reason: "Unpaid invoice." });
    expect(licenseNotice(locked)).toEqual({
      tone: "error",
      compact: false,
      title: "This restaurant's license is locked: Unpaid invoice.",
      body: "New orders are paused. Open bills can still be paid and closed. Tell the manager.",
    });
    expect(licenseNotice(license({ state: "locked", code: "LICENSE_LOCKED", lock_reason: null }))?.title).toBe(
      "This restaurant's license is locked: no reason given.",
    );
  });
});

describe("ordersPaused", () => {
  it("is null while orders are allowed, or while the license is not known", () => {
    expect(ordersPaused(undefined)).toBeNull();
    expect(ordersPaused(license({ state: "warning", code: "LEASE_EXPIRING" }))).toBeNull();
    expect(ordersPaused(license({ state: "trial", code: "TRIAL" }))).toBeNull();
  });

  it("says why, per code, when the appliance would refuse new orders", () => {
    expect(ordersPaused(license({ state: "locked", code: "LICENSE_LOCKED", lock_reason: "Unpaid invoice" }))).toBe(
      "New orders are paused: this restaurant's license is locked (Unpaid invoice). Open bills can still be paid " +
        "and closed.",
    );
    expect(ordersPaused(license({ state: "restricted", code: "TRIAL_ENDED" }))).toBe(
      "New orders are paused: the free trial has ended. Open bills can still be paid and closed.",
    );
  });
});

describe("refusedText", () => {
  it("says the refused writes are kept, and when they can go", () => {
    expect(refusedText(1, false)).toBe(
      "1 change was refused for the license. Kept on this phone: send it again once the license is fixed.",
    );
    expect(refusedText(2, true)).toBe(
      "2 changes were refused while new orders were paused. Kept on this phone: send them again now.",
    );
  });
});

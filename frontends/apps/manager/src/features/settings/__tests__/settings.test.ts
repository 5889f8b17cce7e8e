import type { Schemas } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { activationFrom } from "../components/license-panel";
import { logoFileProblem } from "../components/logo-panel";
import { changesFrom } from "../components/settings-form";

const SETTINGS: Schemas["SiteSettingsRead"] = {
  restaurant_name: "Taverna",
  timezone: "Europe/Athens",
  currency: "EUR",
  tax_mode: "inclusive",
  service_charge_bp: 0,
  receipt_footer: "Thank you",
  auto_day_close_hour: null,
  report_printer_id: null,
  logo_updated_at: null,
  updated_at: null,
  guest_ordering: "confirm",
  guest_max_sends_per_minute: 3,
  guest_max_items_per_send: 30,
  guest_payments: true,
};

const DRAFT = {
  name: "Taverna",
  timezone: "Europe/Athens",
  currency: "EUR",
  taxMode: "inclusive" as const,
  serviceCharge: "0",
  footer: "Thank you",
  reportPrinter: "",
  autoClose: "",
  guestOrdering: "confirm" as const,
  guestSends: "3",
  guestItems: "30",
  guestPayments: "yes" as const,
};

describe("the settings sent", () => {
  it("are only the fields that changed", () => {
    expect(changesFrom(SETTINGS, DRAFT)).toEqual({ changes: {} });
    expect(
      changesFrom(SETTINGS, {
        ...DRAFT,
        name: "  Taverna Nikos ",
        serviceCharge: "12.5",
        autoClose: "4",
        reportPrinter: "2",
      }),
    ).toEqual({
      changes: {
        restaurant_name: "Taverna Nikos",
        service_charge_bp: 1250,
        auto_day_close_hour: 4,
        report_printer_id: 2,
      },
    });
    const closing = { ...SETTINGS, auto_day_close_hour: 5 };
    expect(changesFrom(closing, { ...DRAFT, autoClose: "" })).toEqual({ changes: { auto_day_close_hour: null } });
  });

  it("include guest ordering and its limits, whole numbers within the appliance's bounds", () => {
    expect(changesFrom(SETTINGS, { ...DRAFT, guestOrdering: "direct", guestSends: " 5 ", guestItems: "40" })).toEqual({
      changes: { guest_ordering: "direct", guest_max_sends_per_minute: 5, guest_max_items_per_send: 40 },
    });
    expect(changesFrom(SETTINGS, { ...DRAFT, guestSends: "0", guestItems: "2.5" })).toEqual({
      problems: {
        guestSends: "Enter a whole number from 1 to 60.",
        guestItems: "Enter a whole number from 1 to 200.",
      },
    });
    expect(changesFrom(SETTINGS, { ...DRAFT, guestSends: "61", guestItems: "201" })).toMatchObject({
      problems: { guestSends: expect.any(String), guestItems: expect.any(String) },
    });
  });

  it("turn guests' own UPI payments off and on", () => {
    expect(changesFrom(SETTINGS, { ...DRAFT, guestPayments: "no" })).toEqual({ changes: { guest_payments: false } });
    const off = { ...SETTINGS, guest_payments: false };
    expect(changesFrom(off, { ...DRAFT, guestPayments: "yes" })).toEqual({ changes: { guest_payments: true } });
    expect(changesFrom(off, { ...DRAFT, guestPayments: "no" })).toEqual({ changes: {} });
  });

  it("are not sent with an empty name or a bad service charge", () => {
    expect(changesFrom(SETTINGS, { ...DRAFT, name: "  ", serviceCharge: "12.555" })).toEqual({
      problems: {
        name: "Enter the restaurant's name.",
        serviceCharge: "Enter a percentage from 0 to 100, like 10 or 12.5.",
      },
    });
  });
});

describe("an activation", () => {
  it("sends the trimmed site ID and key, and the cloud address only when given", () => {
    expect(activationFrom({ siteId: " site_1 ", siteKey: " sk_abc ", cloudUrl: "" })).toEqual({
      body: { site_id: "site_1", site_key: "sk_abc" },
    });
    expect(activationFrom({ siteId: "site_1", siteKey: "sk_abc", cloudUrl: "https://cloud.example.com" })).toEqual({
      body: { site_id: "site_1", site_key: "sk_abc", cloud_url: "https://cloud.example.com" },
    });
  });

  it("is refused with what to fix", () => {
    expect(activationFrom({ siteId: "site 1", siteKey: "", cloudUrl: "cloud.example.com" })).toEqual({
      problems: {
        siteId: "Letters, digits, - and _ only.",
        siteKey: "Enter the site key from the vendor.",
        cloudUrl: "A web address like https://cloud.example.com.",
      },
    });
  });
});

describe("a logo file", () => {
  it("must be a PNG, JPEG or WebP of at most 2 MB", () => {
    expect(logoFileProblem({ type: "image/png", size: 1000 })).toBeNull();
    expect(logoFileProblem({ type: "image/webp", size: 2 * 1024 * 1024 })).toBeNull();
    expect(logoFileProblem({ type: "image/gif", size: 1000 })).toBe("Pick a PNG, JPEG or WebP image.");
    expect(logoFileProblem({ type: "image/jpeg", size: 2 * 1024 * 1024 + 1 })).toMatch(/larger than 2 MB/);
  });
});

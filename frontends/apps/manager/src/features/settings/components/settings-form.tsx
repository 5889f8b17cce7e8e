// The restaurant's settings. Only the fields changed are sent (the appliance audit-logs each change).
import { Button, FormError } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { formatPercentBp, parseFixed, parsePercentBp } from "../../../shared/decimal";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { usePrinters, useUpdateSettings, type SiteSettings, type SiteSettingsUpdate } from "../api/settings-api";
import { currencies, timeZones } from "../lib/choices";

interface Draft {
  name: string;
  timezone: string;
  currency: string;
  taxMode: "inclusive" | "exclusive";
  serviceCharge: string;
  footer: string;
  reportPrinter: string;
  autoClose: string;
  guestOrdering: SiteSettings["guest_ordering"];
  guestSends: string;
  guestItems: string;
  guestPayments: "yes" | "no";
}

type Problems = Partial<Record<keyof Draft, string>>;

const MAX_FOOTER = 500;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
// The appliance's bounds for the guest ordering limits.
const GUEST_SENDS = { min: 1, max: 60 };
const GUEST_ITEMS = { min: 1, max: 200 };

function wholeIn(text: string, { min, max }: { min: number; max: number }): number | null {
  const value = parseFixed(text, 0);
  return value !== null && value >= min && value <= max ? value : null;
}

function draftOf(settings: SiteSettings): Draft {
  return {
    name: settings.restaurant_name,
    timezone: settings.timezone,
    currency: settings.currency,
    taxMode: settings.tax_mode,
    serviceCharge: formatPercentBp(settings.service_charge_bp),
    footer: settings.receipt_footer,
    reportPrinter: settings.report_printer_id === null ? "" : String(settings.report_printer_id),
    autoClose: settings.auto_day_close_hour === null ? "" : String(settings.auto_day_close_hour),
    guestOrdering: settings.guest_ordering,
    guestSends: String(settings.guest_max_sends_per_minute),
    guestItems: String(settings.guest_max_items_per_send),
    guestPayments: settings.guest_payments ? "yes" : "no",
  };
}

/** What is wrong with the draft, or the fields that changed. Exported for the tests. */
export function changesFrom(
  settings: SiteSettings,
  draft: Draft,
): { problems: Problems } | { changes: SiteSettingsUpdate } {
  const problems: Problems = {};
  const name = draft.name.trim();
  if (!name) problems.name = "Enter the restaurant's name.";
  else if (name.length > 120) problems.name = "At most 120 characters.";
  const serviceCharge = parsePercentBp(draft.serviceCharge);
  if (serviceCharge === null) problems.serviceCharge = "Enter a percentage from 0 to 100, like 10 or 12.5.";
  if (draft.footer.length > MAX_FOOTER) problems.footer = `At most ${MAX_FOOTER} characters.`;
  const guestSends = wholeIn(draft.guestSends, GUEST_SENDS);
  if (guestSends === null) problems.guestSends = `Enter a whole number from ${GUEST_SENDS.min} to ${GUEST_SENDS.max}.`;
  const guestItems = wholeIn(draft.guestItems, GUEST_ITEMS);
  if (guestItems === null) problems.guestItems = `Enter a whole number from ${GUEST_ITEMS.min} to ${GUEST_ITEMS.max}.`;
  if (Object.keys(problems).length > 0) return { problems };
  const changes: SiteSettingsUpdate = {};
  if (name !== settings.restaurant_name) changes.restaurant_name = name;
  if (draft.timezone !== settings.timezone) changes.timezone = draft.timezone;
  if (draft.currency !== settings.currency) changes.currency = draft.currency;
  if (draft.taxMode !== settings.tax_mode) changes.tax_mode = draft.taxMode;
  if (serviceCharge !== null && serviceCharge !== settings.service_charge_bp) changes.service_charge_bp = serviceCharge;
  if (draft.footer !== settings.receipt_footer) changes.receipt_footer = draft.footer;
  const printer = draft.reportPrinter === "" ? null : Number(draft.reportPrinter);
  if (printer !== settings.report_printer_id) changes.report_printer_id = printer;
  const hour = draft.autoClose === "" ? null : Number(draft.autoClose);
  if (hour !== settings.auto_day_close_hour) changes.auto_day_close_hour = hour;
  if (draft.guestOrdering !== settings.guest_ordering) changes.guest_ordering = draft.guestOrdering;
  if (guestSends !== null && guestSends !== settings.guest_max_sends_per_minute) {
    changes.guest_max_sends_per_minute = guestSends;
  }
  if (guestItems !== null && guestItems !== settings.guest_max_items_per_send) {
    changes.guest_max_items_per_send = guestItems;
  }
  const guestPayments = draft.guestPayments === "yes";
  if (guestPayments !== settings.guest_payments) changes.guest_payments = guestPayments;
  return { changes };
}

export function SettingsForm({ settings }: { settings: SiteSettings }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [problems, setProblems] = useState<Problems>({});
  const [saved, setSaved] = useState(false);
  const update = useUpdateSettings();
  const printers = usePrinters();

  function field<K extends keyof Draft>(key: K) {
    return {
      value: draft[key],
      onChange: (event: { target: { value: string } }) => {
        setDraft((previous) => ({ ...previous, [key]: event.target.value }));
        setProblems((previous) => ({ ...previous, [key]: undefined }));
        setSaved(false);
      },
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = changesFrom(settings, draft);
    if ("problems" in result) {
      setProblems(result.problems);
      return;
    }
    if (Object.keys(result.changes).length === 0) {
      setSaved(true);
      return;
    }
    update.mutate(result.changes, {
      onSuccess: (next) => {
        setDraft(draftOf(next));
        setSaved(true);
      },
    });
  }

  return (
    <form className="panel settings-form" onSubmit={submit} noValidate aria-labelledby="settings-general">
      <h2 id="settings-general" className="settings-subhead">
        Restaurant
      </h2>
      <div className="form-grid">
        <Field label="Restaurant name" error={problems.name}>
          {(control) => (
            <input {...control} maxLength={120} autoComplete="off" data-testid="settings-name" {...field("name")} />
          )}
        </Field>
        <Field label="Timezone" hint="Business days and report times follow it.">
          {(control) => (
            <select {...control} data-testid="settings-timezone" {...field("timezone")}>
              {timeZones(settings.timezone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Currency" hint="Change it only before the first sale: amounts are kept as they are.">
          {(control) => (
            <select {...control} data-testid="settings-currency" {...field("currency")}>
              {currencies(settings.currency).map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Menu prices" hint="Whether the prices on the menu include tax.">
          {(control) => (
            <select {...control} data-testid="settings-tax-mode" {...field("taxMode")}>
              <option value="inclusive">Include tax</option>
              <option value="exclusive">Exclude tax (added on the bill)</option>
            </select>
          )}
        </Field>
        <Field label="Service charge (%)" hint="Added to every bill; 0 for none." error={problems.serviceCharge}>
          {(control) => (
            <input
              {...control}
              inputMode="decimal"
              autoComplete="off"
              data-testid="settings-service-charge"
              {...field("serviceCharge")}
            />
          )}
        </Field>
        <Field label="Report printer" hint="Where X and Z reports print.">
          {(control) => (
            <select {...control} data-testid="settings-report-printer" {...field("reportPrinter")}>
              <option value="">The first active printer</option>
              {(printers.data ?? []).map((printer) => (
                <option key={printer.id} value={String(printer.id)}>
                  {printer.name}
                  {printer.is_active ? "" : " (inactive)"}
                </option>
              ))}
              {settings.report_printer_id !== null &&
                printers.data &&
                !printers.data.some((printer) => printer.id === settings.report_printer_id) && (
                  <option value={String(settings.report_printer_id)}>Printer {settings.report_printer_id}</option>
                )}
            </select>
          )}
        </Field>
        <Field
          label="Close the day automatically at"
          hint="Local time; the previous business day is closed then (its Z report numbered and stored)."
        >
          {(control) => (
            <select {...control} data-testid="settings-auto-close" {...field("autoClose")}>
              <option value="">Never (close it by hand)</option>
              {HOURS.map((hour) => (
                <option key={hour} value={String(hour)}>
                  {String(hour).padStart(2, "0")}:00
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        label="Receipt footer"
        hint={`Printed at the bottom of every bill and receipt (${draft.footer.length}/${MAX_FOOTER}).`}
        error={problems.footer}
      >
        {(control) => <textarea {...control} rows={3} data-testid="settings-footer" {...field("footer")} />}
      </Field>
      <h2 id="settings-guest" className="settings-subhead">
        Guest ordering (QR codes)
      </h2>
      <div className="form-grid">
        <Field
          label="Orders from guests' phones"
          hint="Guests scan their table's QR code (Tables › QR code) to see the menu and order."
        >
          {(control) => (
            <select {...control} data-testid="settings-guest-ordering" {...field("guestOrdering")}>
              <option value="off">Off: guests can only read the menu</option>
              <option value="confirm">A waiter confirms each order</option>
              <option value="direct">Straight to the kitchen</option>
            </select>
          )}
        </Field>
        <Field
          label="Sends per table per minute"
          hint="More are refused for a minute: a limit on pranks."
          error={problems.guestSends}
        >
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              data-testid="settings-guest-sends"
              {...field("guestSends")}
            />
          )}
        </Field>
        <Field
          label="Items per send"
          hint="Most dishes (counting quantities) one send may hold."
          error={problems.guestItems}
        >
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              data-testid="settings-guest-items"
              {...field("guestItems")}
            />
          )}
        </Field>
        <Field
          label="Guests pay from their phones"
          hint="Each guest can pay their share (their items, an even split or the rest) by UPI; needs UPI set up."
        >
          {(control) => (
            <select {...control} data-testid="settings-guest-payments" {...field("guestPayments")}>
              <option value="yes">Yes, by UPI</option>
              <option value="no">No: the waiter takes payment</option>
            </select>
          )}
        </Field>
      </div>
      <div className="settings-actions">
        <Button type="submit" variant="primary" busy={update.isPending} data-testid="settings-save">
          Save settings
        </Button>
        {saved && !update.isPending && (
          <span role="status" className="settings-note" data-testid="settings-saved">
            Saved.
          </span>
        )}
      </div>
      {update.isError && <FormError data-testid="settings-error">{describeError(update.error)}</FormError>}
    </form>
  );
}

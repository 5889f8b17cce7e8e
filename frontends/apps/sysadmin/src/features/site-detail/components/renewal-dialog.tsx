import { newIdempotencyKey, type SiteDetail } from "@tavolo/api";
import { Banner, Button, Money, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../../lib/errors";
import { formatDateTime, formatPaidThrough } from "../../../lib/format";
import { Field } from "../../../shared/field";
import { createRenewal, type CreatedRenewal, type Renewal } from "../api/renewals-api";
import { useSiteAction } from "../hooks/use-site-action";
import { RenewalLink } from "./renewal-link";
import { monthsText } from "./renewal-status";

const PRESETS = [1, 3, 6, 12];
// The cloud's limit (billing/schemas.py MAX_MONTHS).
const MAX_MONTHS = 36;

interface Intent {
  months: number;
  key: string;
}

/**
 * Create a Razorpay payment link that renews the license for some months, then show it to send. Mounted only
 * while open, so each opening is a new intent with a new Idempotency-Key.
 */
export function RenewalDialog({
  site,
  openRenewal,
  onClose,
}: {
  site: SiteDetail;
  /** A link already waiting to be paid, if any: a new one does not replace it. */
  openRenewal: Renewal | null;
  onClose: () => void;
}) {
  const [months, setMonths] = useState("12");
  const [invalid, setInvalid] = useState(false);
  const monthsRef = useRef<HTMLInputElement>(null);
  // Sending the same months again (after a timeout or a refusal) is a retry of the same intent and keeps its
  // key, so a link Razorpay made but whose answer was lost comes back instead of a second one.
  const intent = useRef<Intent | null>(null);
  const formId = useId();
  const create = useSiteAction(site.site_id, ({ months: count, key }: Intent) =>
    createRenewal(site.site_id, count, key),
  );

  const count = Number(months);
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_MONTHS;
  const result = create.data;

  function choose(value: string) {
    setMonths(value);
    setInvalid(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) {
      setInvalid(true);
      monthsRef.current?.focus();
      return;
    }
    if (intent.current?.months !== count) intent.current = { months: count, key: newIdempotencyKey() };
    create.mutate(intent.current);
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={result ? `Renewal link for ${site.name}` : `Create a renewal link for ${site.name}`}
      dismissible={!create.isPending}
      initialFocus={result ? undefined : monthsRef}
      data-testid="renewal-dialog"
      footer={
        result ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" form={formId} variant="primary" busy={create.isPending}>
              Create link
            </Button>
          </>
        )
      }
    >
      {result ? (
        <RenewalResult site={site} result={result} />
      ) : (
        <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
          <p>
            A Razorpay payment link for the restaurant to pay. Once it is paid, the license is extended by these
            months from its paid-through date (<strong>{formatPaidThrough(site.license_expires_at)}</strong>), or
            from the day of payment if that date has passed.
          </p>
          {openRenewal && (
            <Banner tone="info" title="A link is already waiting to be paid" data-testid="renewal-open-notice">
              {monthsText(openRenewal.months)}, created {formatDateTime(openRenewal.created_at)}. A new link does
              not cancel it.
            </Banner>
          )}
          <div className="presets" role="group" aria-label="Common lengths">
            {PRESETS.map((preset) => (
              <Button
                key={preset}
                variant="ghost"
                aria-pressed={count === preset}
                onClick={() => choose(String(preset))}
              >
                {monthsText(preset)}
              </Button>
            ))}
          </div>
          <Field
            label="Months"
            hint={`From 1 to ${MAX_MONTHS}; the price per month is set on the cloud.`}
            error={invalid ? `Enter a whole number of months from 1 to ${MAX_MONTHS}.` : undefined}
          >
            {(control) => (
              <input
                {...control}
                ref={monthsRef}
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_MONTHS}
                step={1}
                value={months}
                onChange={(event) => choose(event.target.value)}
              />
            )}
          </Field>
          {create.isError && (
            <Banner tone="error" title="No link was created" data-testid="action-error">
              {describeError(create.error)}
            </Banner>
          )}
        </form>
      )}
    </Sheet>
  );
}

function RenewalResult({ site, result: { renewal, created } }: { site: SiteDetail; result: CreatedRenewal }) {
  return (
    <div className="dialog-form" data-testid="renewal-result">
      {!created && (
        <Banner tone="info" title="This link had already been made">
          The cloud had created it for this request before; no second link was made.
        </Banner>
      )}
      <dl className="facts__list">
        <div className="facts__row">
          <dt>Renews</dt>
          <dd>{monthsText(renewal.months)}</dd>
        </div>
        <div className="facts__row">
          <dt>Amount</dt>
          <dd>
            <Money amount={renewal.amount} currency={renewal.currency} data-testid="renewal-amount" />
          </dd>
        </div>
        <div className="facts__row">
          <dt>Link expires</dt>
          <dd>{formatDateTime(renewal.expire_by)}</dd>
        </div>
      </dl>
      <RenewalLink url={renewal.short_url} />
      <p className="muted">
        Send it to {site.owner_name} ({site.contact_email}). When it is paid, Razorpay tells the cloud and the
        license is extended; the Payments card shows it.
      </p>
    </div>
  );
}

import type { SiteDetail } from "@tavolo/api";
import { Banner, Button, Sheet, useNow } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../../lib/errors";
import { formatPaidThrough } from "../../../lib/format";
import { Field } from "../../../shared/field";
import { extendSite } from "../api/site-api";
import { useSiteAction } from "../hooks/use-site-action";

const PRESETS = [30, 90, 365];
const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

/** Add days to the paid-through date; like the cloud, counted from now when that date has passed. */
export function ExtendDialog({ site, open, onClose }: { site: SiteDetail; open: boolean; onClose: () => void }) {
  const [days, setDays] = useState("30");
  const [invalid, setInvalid] = useState(false);
  const daysRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const now = useNow(60_000);
  const extend = useSiteAction(site.site_id, (count: number) => extendSite(site.site_id, count));

  const count = Number(days);
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_DAYS;
  const from = Math.max(now, Date.parse(site.license_expires_at));
  const preview = valid ? formatPaidThrough(new Date(from + count * DAY_MS).toISOString()) : null;

  function finish() {
    setDays("30");
    setInvalid(false);
    extend.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) {
      setInvalid(true);
      daysRef.current?.focus();
      return;
    }
    extend.mutate(count, { onSuccess: finish });
  }

  return (
    <Sheet
      open={open}
      onClose={finish}
      title={`Extend ${site.name}`}
      dismissible={!extend.isPending}
      initialFocus={daysRef}
      data-testid="extend-dialog"
      footer={
        <>
          <Button onClick={finish} disabled={extend.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={extend.isPending}>
            Extend license
          </Button>
        </>
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <p>
          Paid through <strong>{formatPaidThrough(site.license_expires_at)}</strong> now.
        </p>
        <Field
          label="Days"
          hint={preview && `New paid-through date: ${preview}`}
          error={invalid ? `Enter a whole number of days from 1 to ${MAX_DAYS}.` : undefined}
        >
          {(control) => (
            <input
              {...control}
              ref={daysRef}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_DAYS}
              step={1}
              value={days}
              onChange={(event) => {
                setDays(event.target.value);
                setInvalid(false);
              }}
            />
          )}
        </Field>
        <div className="presets" role="group" aria-label="Common lengths">
          {PRESETS.map((preset) => (
            <Button
              key={preset}
              variant="ghost"
              aria-pressed={count === preset}
              onClick={() => {
                setDays(String(preset));
                setInvalid(false);
              }}
            >
              {preset} days
            </Button>
          ))}
        </div>
        {extend.isError && (
          <Banner tone="error" title="The license was not extended" data-testid="action-error">
            {describeError(extend.error)}
          </Banner>
        )}
      </form>
    </Sheet>
  );
}

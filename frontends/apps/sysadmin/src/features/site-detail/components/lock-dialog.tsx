import type { SiteDetail } from "@tavolo/api";
import { Banner, Button, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../../lib/errors";
import { Field } from "../../../shared/field";
import { lockSite } from "../api/site-api";
import { useSiteAction } from "../hooks/use-site-action";

const MAX_REASON = 500;

/** Lock a site; the reason is required: the appliance shows it to the restaurant's staff. */
export function LockDialog({ site, open, onClose }: { site: SiteDetail; open: boolean; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const formId = useId();
  const lock = useSiteAction(site.site_id, (text: string) => lockSite(site.site_id, text));

  function finish() {
    setReason("");
    setMissing(false);
    lock.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = reason.trim();
    if (!text) {
      setMissing(true);
      reasonRef.current?.focus();
      return;
    }
    lock.mutate(text, { onSuccess: finish });
  }

  return (
    <Sheet
      open={open}
      onClose={finish}
      title={`Lock ${site.name}`}
      dismissible={!lock.isPending}
      initialFocus={reasonRef}
      data-testid="lock-dialog"
      footer={
        <>
          <Button onClick={finish} disabled={lock.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="danger" busy={lock.isPending}>
            Lock site
          </Button>
        </>
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <p>
          At its next heartbeat the appliance stops opening orders and taking new items. Open bills can still be
          paid, closed and printed, and its data stays readable.
        </p>
        <Field
          label="Reason"
          hint="Shown to the restaurant's staff on the appliance."
          error={missing ? "Enter a reason to lock the site." : undefined}
        >
          {(control) => (
            <textarea
              {...control}
              ref={reasonRef}
              value={reason}
              rows={3}
              maxLength={MAX_REASON}
              required
              onChange={(event) => {
                setReason(event.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        {lock.isError && (
          <Banner tone="error" title="The site was not locked" data-testid="action-error">
            {describeError(lock.error)}
          </Banner>
        )}
      </form>
    </Sheet>
  );
}

import type { SiteDetail } from "@tavolo/api";
import { Banner, Button, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../../lib/errors";
import { Field } from "../../../shared/field";
import { deregisterSite } from "../api/site-api";
import { useSiteAction } from "../hooks/use-site-action";

/** Deregister a site, confirmed by typing its name: there is no undo. `onGone` leaves its page. */
export function DeregisterDialog({
  site,
  onClose,
  onGone,
}: {
  site: SiteDetail;
  onClose: () => void;
  onGone: () => void;
}) {
  const [typed, setTyped] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const deregister = useSiteAction(
    site.site_id,
    async () => {
      await deregisterSite(site.site_id);
      onGone();
    },
    { removesSite: true },
  );
  const matches = typed.trim() === site.name;

  function submit(event: FormEvent) {
    event.preventDefault();
    // The button stays disabled until the name matches; Enter in the field must not get around that.
    if (matches) deregister.mutate(undefined);
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Deregister ${site.name}`}
      dismissible={!deregister.isPending}
      initialFocus={inputRef}
      data-testid="deregister-dialog"
      footer={
        <>
          <Button onClick={onClose} disabled={deregister.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="danger" busy={deregister.isPending} disabled={!matches}>
            Deregister site
          </Button>
        </>
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <Banner tone="warn" title="This cannot be undone">
          The site&apos;s key stops working at once and the site leaves the list. Its appliance runs out its current
          lease and then takes no new orders. The history stays in the audit log.
        </Banner>
        <Field
          label="Type the site's name to confirm"
          hint={
            <>
              Type: <strong>{site.name}</strong>
            </>
          }
        >
          {(control) => (
            <input
              {...control}
              ref={inputRef}
              value={typed}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setTyped(event.target.value)}
            />
          )}
        </Field>
        {deregister.isError && (
          <Banner tone="error" title="The site was not deregistered" data-testid="action-error">
            {describeError(deregister.error)}
          </Banner>
        )}
      </form>
    </Sheet>
  );
}

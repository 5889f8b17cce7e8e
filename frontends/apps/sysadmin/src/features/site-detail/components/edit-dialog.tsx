import type { SiteDetail, SiteUpdate } from "@tavolo/api";
import { Banner, Button, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../../lib/errors";
import { fromDateInput, toDateInput } from "../../../lib/format";
import { Field } from "../../../shared/field";
import { updateSite } from "../api/site-api";
import { useSiteAction } from "../hooks/use-site-action";

const MAX_GRACE_HOURS = 90 * 24;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface Draft {
  name: string;
  owner: string;
  email: string;
  paidThrough: string;
  grace: string;
}

/** What the form says is wrong, or the changes to send (only the fields that changed). */
function changesFrom(site: SiteDetail, draft: Draft): { error: string } | { changes: SiteUpdate } {
  const name = draft.name.trim();
  const owner = draft.owner.trim();
  const email = draft.email.trim();
  const grace = Number(draft.grace);
  if (!name) return { error: "Enter the site's name." };
  if (!owner) return { error: "Enter the owner's name." };
  if (!EMAIL.test(email)) return { error: "Enter a contact email address like owner@example.com." };
  const paidThrough = fromDateInput(draft.paidThrough);
  if (paidThrough === null) return { error: "Enter the paid-through date." };
  if (draft.grace.trim() === "" || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_HOURS) {
    return { error: `Enter the grace as whole hours from 0 to ${MAX_GRACE_HOURS}.` };
  }
  const changes: SiteUpdate = {};
  if (name !== site.name) changes.name = name;
  if (owner !== site.owner_name) changes.owner_name = owner;
  if (email !== site.contact_email) changes.contact_email = email;
  // The date field shows a UTC day: an untouched field keeps the stored time to the second.
  if (draft.paidThrough !== toDateInput(site.license_expires_at)) changes.license_expires_at = paidThrough;
  if (grace !== site.grace_hours) changes.grace_hours = grace;
  return { changes };
}

/** Edit a site's details; rendered while open, so each opening starts from the site as it is now. */
export function EditDialog({ site, onClose }: { site: SiteDetail; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => ({
    name: site.name,
    owner: site.owner_name,
    email: site.contact_email,
    paidThrough: toDateInput(site.license_expires_at),
    grace: String(site.grace_hours),
  }));
  const [problem, setProblem] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const save = useSiteAction(site.site_id, (changes: SiteUpdate) => updateSite(site.site_id, changes));

  function field(key: keyof Draft) {
    return {
      value: draft[key],
      onChange: (event: { target: { value: string } }) => {
        setDraft((previous) => ({ ...previous, [key]: event.target.value }));
        setProblem(null);
      },
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = changesFrom(site, draft);
    if ("error" in result) {
      setProblem(result.error);
      return;
    }
    if (Object.keys(result.changes).length === 0) {
      onClose();
      return;
    }
    save.mutate(result.changes, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Edit ${site.name}`}
      dismissible={!save.isPending}
      initialFocus={nameRef}
      data-testid="edit-dialog"
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending}>
            Save changes
          </Button>
        </>
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <Field label="Name">
          {(control) => <input {...control} ref={nameRef} maxLength={120} autoComplete="off" {...field("name")} />}
        </Field>
        <Field label="Owner">
          {(control) => <input {...control} maxLength={120} autoComplete="off" {...field("owner")} />}
        </Field>
        <Field label="Contact email">
          {(control) => <input {...control} type="email" maxLength={254} autoComplete="off" {...field("email")} />}
        </Field>
        <Field label="Paid through" hint="The license runs to the end of this day (UTC); an earlier day shortens it.">
          {(control) => <input {...control} type="date" {...field("paidThrough")} />}
        </Field>
        <Field label="Grace hours" hint="How long a lease outlives the heartbeat interval.">
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_GRACE_HOURS}
              step={1}
              {...field("grace")}
            />
          )}
        </Field>
        {problem && (
          <p className="field__error" role="alert">
            {problem}
          </p>
        )}
        {save.isError && (
          <Banner tone="error" title="The changes were not saved" data-testid="action-error">
            {describeError(save.error)}
          </Banner>
        )}
      </form>
    </Sheet>
  );
}

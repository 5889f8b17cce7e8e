import type { SiteCreate, SiteCreated } from "@tavolo/api";
import { Banner, Button } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { describeError } from "../../../lib/errors";
import { fromDateInput } from "../../../lib/format";
import { useTitle } from "../../../lib/use-title";
import { Field } from "../../../shared/field";
import { SecretPanel } from "../../../shared/secret-panel";
import { StatusBadge } from "../../../shared/site-status";
import { useRegister } from "../hooks/use-register";
import "./register.css";

const MAX_GRACE_HOURS = 90 * 24;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface Draft {
  name: string;
  owner: string;
  email: string;
  paidThrough: string;
  grace: string;
}

const EMPTY: Draft = { name: "", owner: "", email: "", paidThrough: "", grace: "" };

type Problem = { field: keyof Draft; message: string };

function toRequest(draft: Draft): { problem: Problem } | { site: SiteCreate } {
  const name = draft.name.trim();
  const owner = draft.owner.trim();
  const email = draft.email.trim();
  if (!name) return { problem: { field: "name", message: "Enter the site's name (the restaurant)." } };
  if (!owner) return { problem: { field: "owner", message: "Enter the owner's name." } };
  if (!EMAIL.test(email)) {
    return { problem: { field: "email", message: "Enter a contact email address like owner@example.com." } };
  }
  const paidThrough = fromDateInput(draft.paidThrough);
  if (paidThrough === null) return { problem: { field: "paidThrough", message: "Enter the paid-through date." } };
  const site: SiteCreate = { name, owner_name: owner, contact_email: email, license_expires_at: paidThrough };
  if (draft.grace.trim() !== "") {
    const grace = Number(draft.grace);
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_HOURS) {
      return { problem: { field: "grace", message: `Enter the grace as whole hours from 0 to ${MAX_GRACE_HOURS}.` } };
    }
    site.grace_hours = grace;
  }
  return { site };
}

/** Register a site; its secret key is then shown once, with the appliance's settings to paste. */
export function RegisterScreen() {
  const [created, setCreated] = useState<SiteCreated | null>(null);
  useTitle(created ? "Site registered" : "Register a site");
  return created ? (
    <Registered site={created} onAnother={() => setCreated(null)} />
  ) : (
    <RegisterForm onRegistered={setCreated} />
  );
}

function RegisterForm({ onRegistered }: { onRegistered: (site: SiteCreated) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<Problem | null>(null);
  const register = useRegister();

  function field(key: keyof Draft) {
    return {
      name: key,
      value: draft[key],
      onChange: (event: { target: { value: string } }) => {
        setDraft((previous) => ({ ...previous, [key]: event.target.value }));
        setProblem(null);
      },
    };
  }

  const errorOf = (key: keyof Draft) => (problem?.field === key ? problem.message : undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (register.isPending) return;
    const result = toRequest(draft);
    if ("problem" in result) {
      setProblem(result.problem);
      const input = event.currentTarget.elements.namedItem(result.problem.field);
      if (input instanceof HTMLElement) input.focus();
      return;
    }
    register.mutate(result.site, { onSuccess: onRegistered });
  }

  return (
    <div className="register">
      <div className="page-head">
        <h1 tabIndex={-1}>Register a site</h1>
      </div>
      <form className="register__form panel" onSubmit={submit} noValidate aria-label="Register a site">
        <Field label="Name" hint="The restaurant, as the appliance and the audit log show it." error={errorOf("name")}>
          {(control) => <input {...control} maxLength={120} autoComplete="off" autoFocus {...field("name")} />}
        </Field>
        <Field label="Owner" error={errorOf("owner")}>
          {(control) => <input {...control} maxLength={120} autoComplete="off" {...field("owner")} />}
        </Field>
        <Field label="Contact email" error={errorOf("email")}>
          {(control) => <input {...control} type="email" maxLength={254} autoComplete="off" {...field("email")} />}
        </Field>
        <div className="register__row">
          <Field
            label="Paid through"
            hint="The license runs to the end of this day (UTC)."
            error={errorOf("paidThrough")}
          >
            {(control) => <input {...control} type="date" {...field("paidThrough")} />}
          </Field>
          <Field
            label="Grace hours (optional)"
            hint="How long a lease outlives the heartbeat interval; empty for the cloud's default."
            error={errorOf("grace")}
          >
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
        </div>
        {register.isError && (
          <Banner tone="error" title="The site was not registered" data-testid="action-error">
            {describeError(register.error)}
          </Banner>
        )}
        <div className="register__actions">
          <Button type="submit" variant="primary" busy={register.isPending}>
            Register site
          </Button>
          <Link href="/">Cancel</Link>
        </div>
      </form>
    </div>
  );
}

function Registered({ site, onAnother }: { site: SiteCreated; onAnother: () => void }) {
  return (
    <div className="register">
      <div className="page-head">
        <h1 tabIndex={-1}>Site registered</h1>
      </div>
      <div className="panel register__done">
        <p className="register__summary">
          <strong>{site.name}</strong> · {site.owner_name} <StatusBadge status={site.status} />
        </p>
        <SecretPanel siteId={site.site_id} secret={site.secret_key} />
        <div className="register__actions">
          <Link href={`/sites/${site.site_id}`}>Open the site</Link>
          <Button variant="ghost" onClick={onAnother}>
            Register another site
          </Button>
        </div>
      </div>
    </div>
  );
}

// The appliance's license: its state and why, the heartbeat's health, activation with a site ID and key,
// "Sync now", and the vendor's renewal link when one is open.
import type { Schemas } from "@tavolo/api";
import { Banner, Button, FormError, Spinner } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { licenseNeedsAttention, useLicense } from "../../../lib/license";
import { useSiteInfo } from "../../../lib/site";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { formatDateTime } from "../../../shared/format";
import { useActivateLicense, useSyncLicense } from "../api/settings-api";

type License = Schemas["LicenseRead"];

const STATE: Record<License["state"], { label: string; tone: string }> = {
  trial: { label: "Trial", tone: "badge--ok" },
  active: { label: "Active", tone: "badge--ok" },
  warning: { label: "Needs attention", tone: "badge--warn" },
  restricted: { label: "Restricted", tone: "badge--error" },
  locked: { label: "Locked", tone: "badge--error" },
};

const SITE_ID = /^[A-Za-z0-9_-]+$/;
const SITE_KEY = /^[\x21-\x7e]+$/;

interface Draft {
  siteId: string;
  siteKey: string;
  cloudUrl: string;
}

type Problems = Partial<Record<keyof Draft, string>>;

/** What is wrong with the activation form, or the request to send. Exported for the tests. */
export function activationFrom(draft: Draft): { problems: Problems } | { body: Schemas["LicenseActivate"] } {
  const problems: Problems = {};
  const siteId = draft.siteId.trim();
  const siteKey = draft.siteKey.trim();
  const cloudUrl = draft.cloudUrl.trim();
  if (!siteId) problems.siteId = "Enter the site ID from the vendor.";
  else if (!SITE_ID.test(siteId) || siteId.length > 64) problems.siteId = "Letters, digits, - and _ only.";
  if (!siteKey) problems.siteKey = "Enter the site key from the vendor.";
  else if (!SITE_KEY.test(siteKey) || siteKey.length > 256) problems.siteKey = "The key has no spaces.";
  if (cloudUrl && !/^https?:\/\/\S+$/i.test(cloudUrl)) {
    problems.cloudUrl = "A web address like https://cloud.example.com.";
  }
  if (Object.keys(problems).length > 0) return { problems };
  const body: Schemas["LicenseActivate"] = { site_id: siteId, site_key: siteKey };
  // Left out when empty: the appliance then uses the cloud it was set up with.
  if (cloudUrl) body.cloud_url = cloudUrl;
  return { body };
}

export function LicensePanel() {
  const license = useLicense();
  const timeZone = useSiteInfo().data?.timezone;
  const sync = useSyncLicense();
  return (
    <section className="panel settings-license" aria-labelledby="license-title" data-testid="license-panel">
      <h2 id="license-title" className="settings-subhead">
        License
      </h2>
      {license.isPending ? (
        <Spinner />
      ) : license.isError ? (
        <ErrorBanner title="The license could not be read" error={license.error} />
      ) : (
        <>
          <p className="license-state">
            <span
              className={`badge ${STATE[license.data.state].tone}`}
              data-testid="license-state"
              data-state={license.data.state}
            >
              {STATE[license.data.state].label}
            </span>{" "}
            <span data-testid="license-reason">{license.data.reason}</span>
          </p>
          {licenseNeedsAttention(license.data) && (
            <Banner
              tone={license.data.state === "warning" ? "warn" : "error"}
              title={license.data.allows_orders ? "Act soon" : "New orders are stopped"}
              data-testid="license-warning"
            >
              {license.data.lock_reason ? `${license.data.lock_reason}. ` : ""}
              {license.data.reason}
            </Banner>
          )}
          <LicenseFacts license={license.data} timeZone={timeZone} />
          <div className="settings-actions">
            <Button
              onClick={() => sync.mutate()}
              busy={sync.isPending}
              disabled={!license.data.configured}
              data-testid="license-sync"
            >
              Sync now
            </Button>
            {license.data.renewal_url && (
              <a
                className="ui-button ui-button--primary ui-button--normal"
                href={license.data.renewal_url}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="license-renew"
              >
                Renew the license (opens in a new tab)
              </a>
            )}
            {!license.data.configured && <span className="muted">Activate the appliance to sync with the vendor.</span>}
          </div>
          {sync.isError && <FormError data-testid="license-sync-error">{describeError(sync.error)}</FormError>}
          {sync.isSuccess && (
            <span role="status" className="settings-note" data-testid="license-synced">
              {sync.data.last_error ? `The heartbeat failed: ${sync.data.last_error}` : "Synced with the vendor."}
            </span>
          )}
          <ActivationForm license={license.data} />
        </>
      )}
    </section>
  );
}

function LicenseFacts({ license, timeZone }: { license: License; timeZone: string | undefined }) {
  const at = (iso: string | null) => formatDateTime(iso, timeZone);
  const rows: [string, string, string][] = [
    ["Site ID", license.site_id ?? "Not activated", "license-site-id"],
    ["Licensing cloud", license.cloud_url ?? "—", "license-cloud"],
  ];
  if (license.trial_ends_at) rows.push(["Trial ends", at(license.trial_ends_at), "license-trial-ends"]);
  rows.push(
    ["Paid through", at(license.paid_through), "license-paid-through"],
    ["Days left", license.days_left === null ? "—" : String(license.days_left), "license-days-left"],
    ["Lease ends", at(license.lease_expires_at), "license-lease"],
    ["Last heartbeat", at(license.last_heartbeat_at), "license-last-heartbeat"],
    ["Last attempt", at(license.last_attempt_at), "license-last-attempt"],
    ["Next attempt", at(license.next_attempt_at), "license-next-attempt"],
    ["Last error", license.last_error ?? "None", "license-last-error"],
  );
  return (
    <dl className="license-facts">
      {rows.map(([label, value, testId]) => (
        <div key={label} className="license-facts__row">
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ActivationForm({ license }: { license: License }) {
  const [draft, setDraft] = useState<Draft>({ siteId: license.site_id ?? "", siteKey: "", cloudUrl: "" });
  const [problems, setProblems] = useState<Problems>({});
  const activate = useActivateLicense();

  function field(key: keyof Draft) {
    return {
      value: draft[key],
      onChange: (event: { target: { value: string } }) => {
        setDraft((previous) => ({ ...previous, [key]: event.target.value }));
        setProblems((previous) => ({ ...previous, [key]: undefined }));
      },
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = activationFrom(draft);
    if ("problems" in result) {
      setProblems(result.problems);
      return;
    }
    activate.mutate(result.body, { onSuccess: () => setDraft((previous) => ({ ...previous, siteKey: "" })) });
  }

  return (
    <form className="settings-activation" onSubmit={submit} noValidate aria-labelledby="activation-title">
      <h3 id="activation-title" className="settings-subhead">
        {license.configured ? "Activate with another site ID or key" : "Activate"}
      </h3>
      <p className="muted">
        The vendor gives each restaurant a site ID and a key. The appliance checks them with the licensing cloud and
        keeps the current ones unless the cloud accepts the new.
      </p>
      <div className="form-grid">
        <Field label="Site ID" error={problems.siteId}>
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              data-testid="activate-site-id"
              {...field("siteId")}
            />
          )}
        </Field>
        <Field label="Site key" error={problems.siteKey}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="off"
              spellCheck={false}
              data-testid="activate-site-key"
              {...field("siteKey")}
            />
          )}
        </Field>
        <Field
          label="Licensing cloud address (optional)"
          hint={license.cloud_url ? `Empty: ${license.cloud_url}` : "Empty: the address the appliance was set up with."}
          error={problems.cloudUrl}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              data-testid="activate-cloud-url"
              {...field("cloudUrl")}
            />
          )}
        </Field>
      </div>
      <div className="settings-actions">
        <Button type="submit" variant="primary" busy={activate.isPending} data-testid="activate-submit">
          Activate
        </Button>
        {activate.isSuccess && (
          <span role="status" className="settings-note" data-testid="activate-done">
            Activated: {activate.data.reason}
          </span>
        )}
      </div>
      {activate.isError && <FormError data-testid="activate-error">{describeError(activate.error)}</FormError>}
    </form>
  );
}

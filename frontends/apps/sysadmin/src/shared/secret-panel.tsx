// A site's new secret key, shown this once (register, rotate key): the cloud keeps only its hash.
import { Banner, Button } from "@tavolo/ui";
import { useId, useRef, useState } from "react";
import { copyText, type CopyResult } from "../lib/clipboard";
import "./secret-panel.css";

export interface SecretPanelProps {
  siteId: string;
  secret: string;
}

/** The lines an appliance's environment (deploy/local/appliance.env) needs to heartbeat to this cloud. */
export function envLines(siteId: string, secret: string, cloudUrl: string = globalThis.location.origin): string {
  return `SITE_ID=${siteId}\nSITE_KEY=${secret}\nCLOUD_URL=${cloudUrl}`;
}

export function SecretPanel({ siteId, secret }: SecretPanelProps) {
  const envRef = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<CopyResult | null>(null);
  const headingId = useId();
  const text = envLines(siteId, secret);

  async function copy() {
    setCopied(await copyText(text, envRef.current));
  }

  return (
    <section className="secret" aria-labelledby={headingId} data-testid="secret-panel">
      <Banner tone="warn" title="Save the secret key now: it will not be shown again">
        The cloud keeps only a hash of it. If it is lost, rotate the key and give the appliance the new one.
      </Banner>
      <dl className="secret__facts">
        <div>
          <dt>Site ID</dt>
          <dd>
            <code data-testid="site-id">{siteId}</code>
          </dd>
        </div>
        <div>
          <dt>Secret key</dt>
          <dd>
            <code className="secret__key" data-testid="site-secret">
              {secret}
            </code>
          </dd>
        </div>
      </dl>
      <h3 id={headingId} className="secret__heading">
        Appliance settings
      </h3>
      <p className="secret__hint">
        Paste these lines into the appliance&apos;s environment (its <code>.env</code> file), or have a manager
        activate the running appliance with the ID and key (<code>POST /api/license/activate</code>, no restart).
      </p>
      <pre className="secret__env" ref={envRef} data-testid="site-env" tabIndex={0} aria-label="Appliance settings">
        {text}
      </pre>
      <div className="secret__copy">
        <Button variant="primary" onClick={() => void copy()}>
          Copy
        </Button>
        <span role="status" className="secret__copied" data-testid="copy-status">
          {copied === "copied" && "Copied to the clipboard."}
          {copied === "selected" && "Selected: press Ctrl+C (⌘C on a Mac) to copy."}
        </span>
      </div>
    </section>
  );
}

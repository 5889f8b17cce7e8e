import { Button } from "@tavolo/ui";
import { useRef, useState } from "react";
import { copyText, type CopyResult } from "../../../lib/clipboard";

/**
 * A payment link to send the restaurant, with Copy and Open. Only an http(s) address becomes a link: the text
 * comes from Razorpay (or a webhook's payload) and must never run as a javascript: URL in the sysadmin's tab.
 */
export function RenewalLink({ url }: { url: string }) {
  const urlRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<CopyResult | null>(null);
  const openable = /^https?:\/\//i.test(url);

  async function copy() {
    setCopied(await copyText(url, urlRef.current));
  }

  return (
    <div className="renewal-link">
      <code ref={urlRef} className="renewal-link__url mono" data-testid="renewal-url">
        {url}
      </code>
      <div className="renewal-link__actions">
        <Button onClick={() => void copy()}>Copy</Button>
        {openable && (
          <a
            className="ui-button ui-button--secondary ui-button--normal"
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            title="Razorpay's payment page, in a new tab"
          >
            Open
          </a>
        )}
        <span role="status" className="renewal-link__copied" data-testid="renewal-copy-status">
          {copied === "copied" && "Copied to the clipboard."}
          {copied === "selected" && "Selected: press Ctrl+C (⌘C on a Mac) to copy."}
        </span>
      </div>
    </div>
  );
}

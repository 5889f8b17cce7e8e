// The license on every screen: nothing while all is well, a quiet note near the trial's end, a warning while
// orders still work, and why new orders are paused (with what still works) when they are. Writes the appliance
// refused for the license are counted here, with the way to send them once it allows orders again.
import { Banner, Button } from "@tavolo/ui";
import { useUser } from "../../../lib/session";
import { useSiteInfo } from "../../../lib/site";
import { useLicense } from "../../../shared/license";
import { sendAllAgain, useLicenseRefusals } from "../hooks/use-license-refusals";
import { licenseNotice, refusedText } from "../model/notice";
import "./license.css";

export function LicenseBanner() {
  const license = useLicense().data;
  const timeZone = useSiteInfo().data?.timezone;
  const refused = useLicenseRefusals();
  const user = useUser();
  const notice = license ? licenseNotice(license, timeZone) : null;
  // The vendor's payment link (from the cloud's last heartbeat answer) is the manager's way out of a warning or
  // a restriction; a waiter has nothing to pay. The appliance passes on only plain https links.
  const renewal =
    notice && user?.role === "manager" && license?.renewal_url ? (
      <a
        className="lic-banner__renew"
        href={license.renewal_url}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="license-renew"
      >
        Renew the license
      </a>
    ) : null;
  if (!notice && refused.length === 0) return null;

  const canSend = license?.allows_orders === true;
  const refusals =
    refused.length > 0 ? (
      <span className="lic-banner__refused" data-testid="license-refused" data-count={refused.length}>
        {refusedText(refused.length, canSend)}
      </span>
    ) : null;
  return (
    <Banner
      tone={notice?.tone ?? "warn"}
      compact={notice?.compact ?? false}
      className="lic-banner"
      data-testid="license-banner"
      data-state={license?.state ?? "unknown"}
      data-code={license?.code}
      title={notice?.title ?? refusals}
      action={
        refused.length > 0 && canSend ? (
          <Button variant="secondary" onClick={() => sendAllAgain(refused)} data-testid="license-send-again">
            Send again
          </Button>
        ) : undefined
      }
    >
      {notice?.body && <span className="lic-banner__body">{notice.body}</span>}
      {renewal}
      {notice && refusals}
    </Banner>
  );
}

// Said before anyone prints: cards whose links point at this machine's loopback work on no guest's phone.
import { Banner } from "@tavolo/ui";
import { unreachableQrHost } from "../model/qr-host";

export function QrHostWarning({ url, testId = "qr-host-warning" }: { url: string | undefined; testId?: string }) {
  const host = url === undefined ? null : unreachableQrHost(url);
  if (host === null) return null;
  return (
    <Banner tone="warn" title="Guests cannot open these codes" data-testid={testId}>
      These codes point to {host}, which guests&apos; phones cannot reach. Open the dashboard at the appliance&apos;s
      network address (e.g. http://tavolo.local) or set PUBLIC_URL, then print.
    </Banner>
  );
}

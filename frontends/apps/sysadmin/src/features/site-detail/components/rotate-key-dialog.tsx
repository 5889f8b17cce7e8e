import type { SiteDetail } from "@tavolo/api";
import { Banner, Button, Sheet } from "@tavolo/ui";
import { describeError } from "../../../lib/errors";
import { SecretPanel } from "../../../shared/secret-panel";
import { rotateKey } from "../api/site-api";
import { useSiteAction } from "../hooks/use-site-action";

/** Issue a new secret key: the old one stops working at once; the new one is shown this once. */
export function RotateKeyDialog({ site, onClose }: { site: SiteDetail; onClose: () => void }) {
  const rotate = useSiteAction(site.site_id, () => rotateKey(site.site_id));
  const issued = rotate.data;

  return (
    <Sheet
      open
      onClose={onClose}
      title={issued ? `New key for ${site.name}` : `Rotate the key of ${site.name}`}
      dismissible={!rotate.isPending}
      data-testid="rotate-dialog"
      footer={
        issued ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={rotate.isPending}>
              Cancel
            </Button>
            <Button variant="danger" busy={rotate.isPending} onClick={() => rotate.mutate(undefined)}>
              Issue new key
            </Button>
          </>
        )
      }
    >
      {issued ? (
        <SecretPanel siteId={issued.site_id} secret={issued.secret_key} />
      ) : (
        <div className="dialog-form">
          <p>
            The appliance&apos;s current key stops working at once: its heartbeats are refused until it has the new
            key. It keeps running on its current lease meanwhile.
          </p>
          {rotate.isError && (
            <Banner tone="error" title="No new key was issued" data-testid="action-error">
              {describeError(rotate.error)}
            </Banner>
          )}
        </div>
      )}
    </Sheet>
  );
}

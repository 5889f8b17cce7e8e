// The appliance is out of reach: say so on every screen, with what happens to the waiter's work, and
// confirm briefly once the queue has gone out.
import { Banner, Button, useNow } from "@tavolo/ui";
import { checkConnection, connectionStore, useConnection } from "../../../lib/connection";
import { isOwnEntry, retryNow, useOutbox } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";
import { changes, offlineFor } from "../model/describe";
import { useReplayReport } from "../hooks/use-replay-report";
import "./offline.css";

/** Ask the appliance now, and send the queue if it answers (instead of waiting for the next check). */
export function tryAgainNow(): void {
  // Coming back in reach starts the replay by itself (lib/outbox listens to the connection).
  if (connectionStore.get().reachable) retryNow();
  else void checkConnection();
}

export function ConnectionBanner() {
  const { reachable, since } = useConnection();
  const entries = useOutbox();
  const userId = useUser()?.id ?? null;
  const { phase, sent } = useReplayReport();
  const now = useNow(reachable ? 60_000 : 5_000);
  // Another waiter's queue on this phone (refused entries included) is theirs to see, not this waiter's.
  const mine = entries.filter((entry) => isOwnEntry(entry, userId));
  const waiting = mine.filter((entry) => entry.state !== "failed").length;
  const refused = mine.length - waiting;

  if (!reachable) {
    return (
      <Banner
        tone="warn"
        className="off-banner"
        data-testid="connection-banner"
        title="No connection to the appliance — your orders are kept and will be sent when it is back"
        action={
          <Button variant="secondary" onClick={tryAgainNow} data-testid="connection-retry">
            Retry
          </Button>
        }
      >
        Offline for {offlineFor(since, now)} ·{" "}
        <span data-testid="offline-queued" data-count={waiting}>
          {waiting === 0 ? "nothing waiting" : `${changes(waiting)} waiting`}
        </span>
      </Banner>
    );
  }
  if (phase === "catching-up") {
    return (
      <Banner tone="info" compact className="off-banner" data-testid="connection-catching-up">
        Back online · sending {changes(waiting)}…
      </Banner>
    );
  }
  if (phase === "back") {
    return (
      <Banner tone={refused > 0 ? "warn" : "info"} compact className="off-banner" data-testid="connection-back">
        Back online{sent > 0 ? ` · ${sent} sent` : ""}
        {refused > 0 ? ` · ${refused} refused, see the queue` : ""}
      </Banner>
    );
  }
  return null;
}

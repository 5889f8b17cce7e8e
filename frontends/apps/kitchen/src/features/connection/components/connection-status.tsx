import { useNow } from "@tavolo/ui";
import { useLink } from "../../../lib/live";

/** Seconds of silence before the board says, in big letters, that it may be out of date. */
const STALE_AFTER_MS = 3_000;

/** The dot in the top bar: live, or reconnecting (with how long). */
export function ConnectionStatus() {
  const link = useLink();
  const now = useNow(1_000);
  const seconds = Math.max(0, Math.round((now - link.since) / 1000));
  return (
    <span className="kds-link" data-testid="kds-connection" data-state={link.state} role="status">
      <span className="kds-link__dot" aria-hidden="true" />
      {link.state === "live" ? "Live" : link.everLive ? `Reconnecting… ${seconds} s` : "Connecting…"}
    </span>
  );
}

/** Across the board while the link is down: what is shown may be out of date. */
export function StaleBanner() {
  const link = useLink();
  const now = useNow(1_000);
  if (link.state === "live" || !link.everLive || now - link.since < STALE_AFTER_MS) return null;
  return (
    <div className="kds-stale" role="alert" data-testid="kds-stale">
      Connection to the appliance lost: reconnecting. Tickets shown may be out of date.
    </div>
  );
}

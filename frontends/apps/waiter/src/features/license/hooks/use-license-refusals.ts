import { useMemo } from "react";
import { isLicenseRefusal, isOwnEntry, sendAgain, useOutbox, type OutboxEntry } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";

/** This waiter's writes the appliance refused for its license (another waiter's are theirs to see). */
export function useLicenseRefusals(): OutboxEntry[] {
  const entries = useOutbox();
  const userId = useUser()?.id ?? null;
  return useMemo(
    () => entries.filter((entry) => isOwnEntry(entry, userId) && isLicenseRefusal(entry)),
    [entries, userId],
  );
}

/** Queue them again, in their order (each keeps its key). */
export function sendAllAgain(entries: readonly OutboxEntry[]): void {
  for (const entry of entries) sendAgain(entry.id);
}

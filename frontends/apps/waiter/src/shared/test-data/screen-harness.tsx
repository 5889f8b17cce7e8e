// What the screen tests (order, payment) share: the stub appliance, a screen rendered with the real api client,
// query cache, outbox and router, and a clean outbox, draft and connection before each test.
// Import this module first in a test file: its first import installs the stub before any app module loads.
import { appliance } from "./stub-appliance";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { reportReachability } from "../../lib/connection";
import { outboxStore, retryNow, type OutboxEntry } from "../../lib/outbox";
import { resetDraftStores } from "../order-draft";

export { appliance, json, received, type ReceivedWrite } from "./stub-appliance";

/** Render `routes` at `path` as the app would: a fresh query cache (no retries), an in-memory location. */
export function renderAt(path: string, routes: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const { hook, history } = memoryLocation({ path, record: true });
  render(
    <QueryClientProvider client={client}>
      <Router hook={hook}>{routes}</Router>
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), history, client };
}

/** The queue as the app would find it: the outbox reads the stored copy before each change. */
export function setOutbox(entries: OutboxEntry[]): void {
  localStorage.setItem("tavolo.outbox", JSON.stringify(entries));
  outboxStore.set(entries);
}

/** Before each test: no writes seen, no drafts, an empty outbox and the appliance in reach. */
export function resetScreenState(): void {
  appliance.writes.length = 0;
  for (const key of Object.keys(localStorage)) if (key.startsWith("tavolo.draft.")) localStorage.removeItem(key);
  resetDraftStores();
  setOutbox([]);
  // Whatever backoff an earlier test left behind: the next submit goes out at once.
  reportReachability(true);
  retryNow();
}

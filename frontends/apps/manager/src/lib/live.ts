// Live updates from the appliance's event socket (/ws/events): a manager receives every staff event. The floor
// arrives as a snapshot, then each change invalidates the queries it touches; screens poll only while the
// socket is down. A reconnect resumes from the last event applied (or takes a new snapshot).
import { startEventSocket, type EventMessage, type Table } from "@tavolo/api";
import { createStore, useStore } from "@tavolo/ui";
import type { QueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { keys } from "./query-keys";
import { sessionStore, tokens } from "./session";

export const liveStore = createStore<{ connected: boolean }>({ connected: false });

type Message = EventMessage<{
  tables?: Table[];
  order_id?: number;
  table_id?: number;
  into_order_id?: number;
  change?: string;
}>;


/** How often a screen should poll: not at all while live events arrive, `ms` while they do not. */
export function usePollInterval(ms: number): number | false {
  return useStore(liveStore).connected ? false : ms;
}

export function useLiveConnected(): boolean {
  return useStore(liveStore).connected;
}

// A rush prints several tickets a second, each announced as pending, printing and printed: the print log and the
// queue lengths are read again once per burst, not per event (each refetch would cancel the one before it).
export const JOB_SETTLE_MS = 250;
// Order events whose commit queued or printed tickets: the appliance announces a kitchen ticket's status changes
// but not its creation (that would slow adding items), so the print log looks again on these.
const TICKET_EVENTS = new Set([
  "order.items_added",
  "order.course_fired",
  "order.item_cancelled",
  "order.cancelled",
  "order.items_printed",
]);
const settling = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();

function jobsChanged(queryClient: QueryClient): void {
  if (settling.has(queryClient)) return;
  settling.set(
    queryClient,
    setTimeout(() => {
      settling.delete(queryClient);
      void queryClient.invalidateQueries({ queryKey: keys.printJobs });
      void queryClient.invalidateQueries({ queryKey: keys.printerStatus });
    }, JOB_SETTLE_MS),
  );
}

// Order events whose commit moved stock: a round of items deducts its recipes, a void of what the kitchen had not
// started puts them back. Stock has no event of its own (only a crossing of the critical level does), so the stock
// lists look again on these, once per burst like the print log.
const STOCK_EVENTS = new Set(["order.items_added", "order.item_cancelled", "order.cancelled"]);
const stockSettling = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();

function stockChanged(queryClient: QueryClient): void {
  if (stockSettling.has(queryClient)) return;
  stockSettling.set(
    queryClient,
    setTimeout(() => {
      stockSettling.delete(queryClient);
      void queryClient.invalidateQueries({ queryKey: keys.stock });
    }, JOB_SETTLE_MS),
  );
}

/** What each event makes stale. Exported for the tests. */
export function applyEvent(queryClient: QueryClient, message: Message): void {
  const invalidate = (queryKey: readonly unknown[]) => void queryClient.invalidateQueries({ queryKey });
  const { type, data } = message;
  if (type === "snapshot") {
    if (data?.tables) queryClient.setQueryData(keys.tables, data.tables);
    // Events were missed (or the appliance restarted): anything may have changed, but the floor just arrived
    // (the managers' list of every table, ["tables", "all"], did not).
    void queryClient.invalidateQueries({
      predicate: ({ queryKey }) => !(queryKey.length === 1 && queryKey[0] === keys.tables[0]),
    });
  } else if (type === "table.changed") {
    invalidate(keys.tables);
    // A manager changed the layout (not an order): a section's name or table count may have changed with it,
    // and a table's QR card shows its label (a new table gets a card, a deactivated one loses it).
    if (data?.change !== undefined) {
      invalidate(keys.tableGroups);
      invalidate(keys.tableQr);
    }
  } else if (type.startsWith("order.")) {
    for (const id of [data?.order_id, data?.into_order_id]) {
      if (id === undefined) continue;
      invalidate(keys.order(id));
      invalidate(keys.orderHistory(id));
    }
    invalidate(keys.orders);
    // Payments, voids and discounts move the day's figures: an open report follows them.
    invalidate(keys.reports);
    if (TICKET_EVENTS.has(type)) jobsChanged(queryClient);
    if (STOCK_EVENTS.has(type)) stockChanged(queryClient);
  } else if (type === "menu.changed") {
    invalidate(keys.products);
    invalidate(keys.categories);
    // A recipe names the product's options, and the stock's own 86 comes as a menu change.
    invalidate(keys.inventory);
  } else if (type === "inventory.low_stock") {
    // An item crossed its critical level: the stock lists, the forecast and the alerts banner's count.
    invalidate(keys.inventory);
  } else if (type === "printer.job_changed") {
    jobsChanged(queryClient);
  } else if (type === "printer.status_changed") {
    // The printers list shows each printer's state too.
    invalidate(keys.printerStatus);
    invalidate(keys.printers);
  } else if (type.startsWith("printer.")) {
    invalidate(keys.alerts);
    invalidate(keys.printerStatus);
    invalidate(keys.printJobs);
  } else if (type === "kitchen.screens_changed") {
    invalidate(keys.screens);
  } else if (type === "license.changed") {
    invalidate(keys.license);
  } else if (type.startsWith("shift.")) {
    invalidate(keys.shifts);
    invalidate(keys.reports);
  } else if (type.startsWith("staff.")) {
    invalidate(keys.staff);
  } else if (type.startsWith("settings.")) {
    invalidate(keys.settings);
    invalidate(keys.siteInfo);
  }
}

/** Keep one socket open while a manager is signed in; returns the stop function. */
export function startLive(queryClient: QueryClient): () => void {
  return startEventSocket<Message>({
    token: () => tokens.access,
    session: sessionStore,
    onMessage: (message) => applyEvent(queryClient, message),
    onConnected: (connected) => liveStore.set({ connected }),
    renew: () => api.GET("/api/auth/me"),
  });
}

// Live updates from the appliance's event socket (/ws/events): the floor arrives as a snapshot, then every
// change this waiter may see, in order. While the socket is up, screens stop polling; when it drops, they poll
// again and the socket reconnects, resuming from the last event it applied (or taking a new snapshot).
import { startEventSocket, type EventMessage, type Table } from "@tavolo/api";
import type { QueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { sessionStore, tokens } from "./session";
import { createStore, useStore } from "./store";

export interface LiveState {
  connected: boolean;
}

export const liveStore = createStore<LiveState>({ connected: false });

/** A table whose items the kitchen finished: the waiter should run them (`order.items_ready`). */
export interface ReadyNotice {
  orderId: number;
  tableId: number;
  at: number;
}

export const readyStore = createStore<ReadyNotice[]>([]);

export function dismissReady(orderId: number): void {
  readyStore.set((notices) => notices.filter((notice) => notice.orderId !== orderId));
}

/** A guest at a table asked for the waiter or the bill (`guest.call`): shown until the waiter dismisses it. */
export interface GuestCall {
  tableId: number;
  tableLabel: string;
  kind: "waiter" | "bill";
  at: number;
}

export const guestCallStore = createStore<GuestCall[]>([]);

export function dismissGuestCall(call: Pick<GuestCall, "tableId" | "kind">): void {
  guestCallStore.set((calls) => calls.filter((c) => c.tableId !== call.tableId || c.kind !== call.kind));
}

/** The guest orders waiting for a waiter (features/guest-orders): every guest.* event makes them stale. */
export const GUEST_SUBMISSIONS_KEY = ["guest-submissions"] as const;

type Message = EventMessage<{
  tables?: Table[];
  order_id?: number;
  table_id?: number;
  change?: string;
  table_label?: string;
  kind?: string;
}>;


/** How often a screen should poll: not at all while live events arrive, `ms` while they do not. */
export function usePollInterval(ms: number): number | false {
  return useStore(liveStore).connected ? false : ms;
}

/** Keep one socket open while someone is signed in; returns the stop function. */
export function startLive(queryClient: QueryClient): () => void {
  const orderChanged = (orderId: number | undefined) => {
    if (orderId === undefined) return;
    void queryClient.invalidateQueries({
      predicate: ({ queryKey }) => queryKey[0] === "order" && String(queryKey[1]) === String(orderId),
    });
    void queryClient.invalidateQueries({ queryKey: ["my-orders"] });
  };

  const apply = (message: Message) => {
    if (message.type === "snapshot") {
      if (message.data?.tables) queryClient.setQueryData(["tables"], message.data.tables);
      // A snapshot means events were missed (or the appliance restarted): a license or settings change may be
      // among them.
      void queryClient.invalidateQueries({ queryKey: ["license"] });
      void queryClient.invalidateQueries({ queryKey: ["site-info"] });
      void queryClient.invalidateQueries({ queryKey: GUEST_SUBMISSIONS_KEY });
    } else if (message.type === "license.changed") {
      void queryClient.invalidateQueries({ queryKey: ["license"] });
    } else if (message.type === "printer.alerts_changed") {
      void queryClient.invalidateQueries({ queryKey: ["alerts"] });
    } else if (message.type === "order.items_ready" && message.data?.order_id !== undefined) {
      const notice = { orderId: message.data.order_id, tableId: message.data.table_id ?? 0, at: Date.now() };
      readyStore.set((notices) => [...notices.filter((n) => n.orderId !== notice.orderId), notice]);
      navigator.vibrate?.([120, 60, 120]);
      orderChanged(message.data.order_id);
    } else if (message.type === "menu.changed") {
      // A dish 86'd (or back), renamed or repriced by a manager: the menu on this phone follows at once.
      void queryClient.invalidateQueries({ queryKey: ["products"] });
      void queryClient.invalidateQueries({ queryKey: ["categories"] });
    } else if (message.type === "table.changed") {
      void queryClient.invalidateQueries({ queryKey: ["tables"] });
      // A manager changed the layout (not an order): the sections may have changed with it.
      if (message.data?.change !== undefined) void queryClient.invalidateQueries({ queryKey: ["table-groups"] });
      // Who may decide a table's guest orders follows who serves it: a free table taken by another waiter (perhaps
      // by accepting its guest order) takes its pending guest orders off this phone. Only lists showing that table
      // are read again: table.changed comes with every order change in a rush.
      const tableId = message.data?.table_id;
      void queryClient.invalidateQueries({
        queryKey: GUEST_SUBMISSIONS_KEY,
        predicate: ({ state }) =>
          tableId === undefined ||
          (Array.isArray(state.data) &&
            state.data.some((entry: { table_id?: number } | null) => entry?.table_id === tableId)),
      });
    } else if (message.type === "settings.updated") {
      // The restaurant's name or currency, as this phone shows them.
      void queryClient.invalidateQueries({ queryKey: ["site-info"] });
    } else if (message.type === "guest.submitted" || message.type === "guest.submission_changed") {
      void queryClient.invalidateQueries({ queryKey: GUEST_SUBMISSIONS_KEY });
      // A new guest order waits for a waiter: as hard to miss as food ready to run.
      if (message.type === "guest.submitted") navigator.vibrate?.([120, 60, 120]);
    } else if (message.type === "guest.call" && message.data?.table_id !== undefined) {
      const call: GuestCall = {
        tableId: message.data.table_id,
        tableLabel: message.data.table_label ?? `table ${message.data.table_id}`,
        kind: message.data.kind === "bill" ? "bill" : "waiter",
        at: Date.now(),
      };
      guestCallStore.set((calls) => [
        ...calls.filter((c) => c.tableId !== call.tableId || c.kind !== call.kind),
        call,
      ]);
      navigator.vibrate?.([120, 60, 120]);
    } else if (message.type.startsWith("order.")) {
      orderChanged(message.data?.order_id);
    } else if (message.type.startsWith("upi.") && message.data?.order_id !== undefined) {
      // A QR shown by another phone, or by a guest paying their share from the table's code.
      void queryClient.invalidateQueries({ queryKey: ["upi-requests", message.data.order_id] });
    }
  };

  return startEventSocket<Message>({
    token: () => tokens.access,
    session: sessionStore,
    onMessage: apply,
    onConnected: (connected) => liveStore.set({ connected }),
    renew: () => api.GET("/api/auth/me"),
  });
}

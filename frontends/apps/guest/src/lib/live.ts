// The guest socket (/ws/guest/<token>): a snapshot of the table's cart and order, then every change of either.
// When it drops, the screen keeps what it has (marked as reconnecting) and the socket comes back with backoff
// and takes a fresh snapshot. Close codes 4404 (the QR code was replaced) and 4410 (the table was deactivated)
// are final: the app says so instead of retrying.
import { createStore, useStore } from "@tavolo/ui";
import { EMPTY_TABLE_STATE, applyCart, applyTableMessage, type TableMessage, type TableState } from "./table-state";
import type { GuestCart } from "./types";

export const tableStore = createStore<TableState>(EMPTY_TABLE_STATE);

export type LinkState = "connecting" | "live" | "reconnecting" | "invalid" | "inactive";
export const linkStore = createStore<LinkState>("connecting");

const menuListeners = new Set<() => void>();

/** Called when a manager changed the menu (the socket's `menu` cue, an 86 above all); returns the unsubscribe. */
export function onMenuChanged(listener: () => void): () => void {
  menuListeners.add(listener);
  return () => menuListeners.delete(listener);
}

export const TOKEN_INVALID = 4404;
export const TABLE_INACTIVE = 4410;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;

export interface LiveOptions {
  WebSocketImpl?: typeof WebSocket;
}

function socketUrl(token: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/guest/${encodeURIComponent(token)}`;
}

/** Keep one socket open for the table; returns the stop function. */
export function startLive(token: string, options: LiveOptions = {}): () => void {
  const Socket = options.WebSocketImpl ?? WebSocket;
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoff = FIRST_RETRY_MS;
  let stopped = false;

  tableStore.set(EMPTY_TABLE_STATE);
  linkStore.set("connecting");

  const schedule = () => {
    if (stopped || retryTimer !== undefined) return;
    // Jitter: the phones of a full room that lost the Wi-Fi together do not all come back in the same instant.
    const delay = backoff * (0.8 + Math.random() * 0.4);
    backoff = Math.min(backoff * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  };

  function connect() {
    if (stopped || socket) return;
    const ws = new Socket(socketUrl(token));
    socket = ws;
    ws.onmessage = (event: MessageEvent) => {
      let message: TableMessage | { type: "menu" };
      try {
        message = JSON.parse(String(event.data)) as TableMessage | { type: "menu" };
      } catch (error) {
        console.warn("guest event not understood", error);
        return;
      }
      if (message.type === "menu") {
        for (const listener of menuListeners) listener();
        return;
      }
      if (message.type === "snapshot") {
        backoff = FIRST_RETRY_MS;
        linkStore.set("live");
      }
      tableStore.set((state) => applyTableMessage(state, message));
    };
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      if (event.code === TOKEN_INVALID) {
        linkStore.set("invalid");
        return;
      }
      if (event.code === TABLE_INACTIVE) {
        linkStore.set("inactive");
        return;
      }
      linkStore.set("reconnecting");
      schedule();
    };
  }

  // A phone put away for a while comes back to a socket the OS may have killed silently: reconnect at once.
  const onVisible = () => {
    if (document.visibilityState !== "visible" || stopped) return;
    if (socket === null && retryTimer !== undefined) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
      backoff = FIRST_RETRY_MS;
      connect();
    }
  };
  document.addEventListener("visibilitychange", onVisible);

  connect();
  return () => {
    stopped = true;
    document.removeEventListener("visibilitychange", onVisible);
    clearTimeout(retryTimer);
    const ws = socket;
    socket = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      try {
        ws.close();
      } catch {
        // already closing
      }
    }
  };
}

/** An answer to this phone's own write: applied unless the socket already brought something newer. */
export function receiveCart(cart: GuestCart): void {
  tableStore.set((state) => applyCart(state, cart));
}

export function useTableState(): TableState {
  return useStore(tableStore);
}

export function useLink(): LinkState {
  return useStore(linkStore);
}

// The kitchen socket (/ws/kitchen): a snapshot of the screen's open tickets, then every kitchen event of its
// zones in order. When it drops, the board stays up (marked as reconnecting) and the socket comes back with
// backoff, resuming after the last event applied (`since=epoch:seq`) or taking a fresh snapshot. Close code
// 4401 means the token is no good (the screen was unpaired): back to pairing.
import { createStore, useStore } from "@tavolo/ui";
import { EMPTY_BOARD, applyMessage, type BoardState, type KitchenMessage } from "./board";
import { pairingStore, unpair } from "./screen";

export const boardStore = createStore<BoardState>(EMPTY_BOARD);

export type LinkState = "live" | "reconnecting";

export interface Link {
  state: LinkState;
  /** Date.now() of the last change, for "reconnecting for 40 s". */
  since: number;
  /** Whether a snapshot ever arrived since the screen was paired (before that there is no board at all). */
  everLive: boolean;
}

export const linkStore = createStore<Link>({ state: "reconnecting", since: Date.now(), everLive: false });

export const UNAUTHENTICATED = 4401;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
/** While live, how often the appliance is asked whether it is still there. A socket whose peer vanished (the
 * appliance lost power, the screen's Wi-Fi went) can look open for minutes; the wall must not show a stale board
 * as live. */
export const WATCHDOG_MS = 15_000;
const WATCHDOG_TIMEOUT_MS = 5_000;

export interface LiveOptions {
  /** A new ticket (or a fired course) reached the board: the screen chimes. */
  onArrival?: () => void;
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
}

function socketUrl(token: string, since: string | null): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = new URLSearchParams({ token });
  if (since) query.set("since", since);
  return `${scheme}://${location.host}/ws/kitchen?${query.toString()}`;
}

function setLink(state: LinkState): void {
  const current = linkStore.get();
  const everLive = current.everLive || state === "live";
  if (current.state === state && current.everLive === everLive) return;
  linkStore.set({ state, since: current.state === state ? current.since : Date.now(), everLive });
}

/** Keep one socket open while the screen is paired; returns the stop function. */
export function startLive(options: LiveOptions = {}): () => void {
  const Socket = options.WebSocketImpl ?? WebSocket;
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let socket: WebSocket | null = null;
  let token: string | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;
  let backoff = FIRST_RETRY_MS;
  let stopped = false;

  const since = (): string | null => {
    const board = boardStore.get();
    return board.epoch !== null && board.screen !== null ? `${board.epoch}:${board.seq}` : null;
  };

  const apply = (message: KitchenMessage) => {
    const before = boardStore.get();
    const after = applyMessage(before, message);
    if (after === before) return;
    boardStore.set(after);
    if (message.type === "kitchen.ticket_new" || message.type === "kitchen.ticket_fired") {
      const id = (message.data as { id?: number } | undefined)?.id;
      const shown = after.tickets.some((t) => t.id === id);
      const wasShown = before.tickets.some((t) => t.id === id);
      // A fired course lights up a ticket already on the board: that is new work too.
      if (shown && (!wasShown || message.type === "kitchen.ticket_fired")) options.onArrival?.();
    }
  };

  /** Forget this socket (its late events must not reach the board) and close it. */
  const drop = () => {
    const ws = socket;
    socket = null;
    clearInterval(watchdog);
    watchdog = undefined;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    ws.onerror = null;
    try {
      ws.close();
    } catch {
      // Already closing.
    }
  };

  const schedule = () => {
    if (stopped || retryTimer !== undefined || token === null) return;
    // Jitter: screens that lost the appliance together do not all come back in the same millisecond.
    const delay = backoff * (0.8 + Math.random() * 0.4);
    backoff = Math.min(backoff * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  };

  const check = async (ws: WebSocket) => {
    let alive: boolean;
    try {
      const response = await doFetch(new URL("/api/system/health", location.origin), {
        cache: "no-store",
        signal: AbortSignal.timeout(WATCHDOG_TIMEOUT_MS),
      });
      alive = response.ok;
    } catch {
      alive = false;
    }
    if (!alive && socket === ws) {
      drop();
      setLink("reconnecting");
      schedule();
    }
  };

  function connect() {
    if (stopped || socket || token === null) return;
    const ws = new Socket(socketUrl(token, since()));
    socket = ws;
    ws.onmessage = (event: MessageEvent) => {
      let message: KitchenMessage;
      try {
        message = JSON.parse(String(event.data)) as KitchenMessage;
      } catch (error) {
        console.warn("kitchen event not understood", error);
        return;
      }
      if (message.type === "snapshot" || message.type === "resumed") {
        backoff = FIRST_RETRY_MS;
        setLink("live");
        clearInterval(watchdog);
        watchdog = setInterval(() => void check(ws), WATCHDOG_MS);
      }
      apply(message);
    };
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      drop();
      if (event.code === UNAUTHENTICATED) {
        unpair("revoked");
        return;
      }
      setLink("reconnecting");
      schedule();
    };
  }

  const follow = () => {
    const next = pairingStore.get().token;
    if (next === token) return;
    token = next;
    drop();
    clearTimeout(retryTimer);
    retryTimer = undefined;
    backoff = FIRST_RETRY_MS;
    // Another screen identity (or none): nothing of the last board may stay, nor resume from its sequence.
    boardStore.set(EMPTY_BOARD);
    linkStore.set({ state: "reconnecting", since: Date.now(), everLive: false });
    connect();
  };

  const unsubscribe = pairingStore.subscribe(follow);
  follow();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(retryTimer);
    drop();
  };
}

export function useBoard(): BoardState {
  return useStore(boardStore);
}

export function useLink(): Link {
  return useStore(linkStore);
}

// The appliance's staff event socket (/ws/events), as the waiter app and the manager dashboard both keep it open:
// one socket while someone is signed in, a snapshot then events in sequence, and after a drop a reconnect with
// backoff that resumes from the last event applied (the appliance answers with the missed events or a new
// snapshot). What each event means is the app's business (`onMessage`).

/** A frame of /ws/events: `snapshot`, `resumed`, or an event with its sequence number. */
export interface EventMessage<Data = Record<string, unknown>> {
  type: string;
  seq?: number;
  epoch?: string;
  data?: Data;
}

export interface EventSocketOptions<M extends EventMessage> {
  /** The access token to connect with, or null when there is none. */
  token: () => string | null;
  /** Who is signed in: the socket is open while this holds someone, and closed (starting over) when it does not. */
  session: { get(): unknown; subscribe(listener: () => void): () => void };
  onMessage: (message: M) => void;
  /** Told true at the first frame of a connection and false when it drops. */
  onConnected: (connected: boolean) => void;
  /** The token was refused (4401): any authenticated request renews it, or ends the session, before a retry. */
  renew: () => Promise<unknown>;
}

const UNAUTHENTICATED = 4401;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 15_000;

function socketUrl(token: string, since: string | null): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = new URLSearchParams({ token });
  if (since) query.set("since", since);
  return `${scheme}://${location.host}/ws/events?${query.toString()}`;
}

/** Keep the staff event socket open while someone is signed in; returns the stop function. */
export function startEventSocket<M extends EventMessage>(options: EventSocketOptions<M>): () => void {
  let socket: WebSocket | null = null;
  let since: string | null = null;
  let connected = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoff = FIRST_BACKOFF_MS;
  let stopped = false;

  const schedule = () => {
    if (stopped || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  function connect() {
    if (stopped || socket || !options.session.get()) return;
    const token = options.token();
    if (!token) return;
    const ws = new WebSocket(socketUrl(token, since));
    socket = ws;
    ws.onmessage = (event) => {
      backoff = FIRST_BACKOFF_MS;
      if (!connected) {
        connected = true;
        options.onConnected(true);
      }
      try {
        const message = JSON.parse(String(event.data)) as M;
        options.onMessage(message);
        if (message.epoch !== undefined && message.seq !== undefined) since = `${message.epoch}:${message.seq}`;
        else if (message.seq !== undefined && since) since = `${since.split(":")[0]}:${message.seq}`;
      } catch (error) {
        console.warn("live event not applied", error);
      }
    };
    ws.onclose = (event) => {
      socket = null;
      connected = false;
      options.onConnected(false);
      if (event.code === UNAUTHENTICATED) {
        void options.renew().finally(schedule);
        return;
      }
      schedule();
    };
  }

  const unsubscribe = options.session.subscribe(() => {
    if (options.session.get()) {
      connect();
    } else {
      since = null;
      socket?.close();
    }
  });
  connect();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(retryTimer);
    socket?.close();
  };
}

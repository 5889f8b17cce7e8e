// The appliance of the screen tests: a stub behind `fetch` that each test answers through `appliance.handler`,
// with Maria signed in. Importing this module installs it, so it must load before any app module: the api
// client captures `fetch` and `Request` when it is imported, and the session reads its tokens then. Import it
// through screen-harness, first in the test file; it imports no app module itself.

type Handler = (request: Request) => Response | Promise<Response>;

export interface ReceivedWrite {
  path: string;
  /** The Idempotency-Key header the write carried. */
  key: string | null;
  body: unknown;
}

export const appliance = {
  /** Answers every request; null: nothing answers, as when the Wi-Fi is down. */
  handler: null as Handler | null,
  /** Writes the handler took in (see `received`), in order. */
  writes: [] as ReceivedWrite[],
};

// jsdom's location gives relative URLs a base; Node's Request has none.
const NativeRequest = globalThis.Request;
class RelativeRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, globalThis.location.origin) : input, init);
  }
}
globalThis.Request = RelativeRequest as typeof Request;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = input instanceof Request ? input : new Request(input, init);
  if (!appliance.handler) throw new TypeError("Failed to fetch");
  return appliance.handler(request);
};
localStorage.setItem("tavolo.access", "access-1");
localStorage.setItem("tavolo.refresh", "refresh-1");
localStorage.setItem("tavolo.user", JSON.stringify({ id: 1, username: "maria", display_name: "Maria", role: "waiter" }));

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Record a write that reached the appliance and return its body (a handler calls it for what it accepts). */
export async function received(request: Request): Promise<unknown> {
  const text = await request.text();
  const body: unknown = text ? JSON.parse(text) : null;
  appliance.writes.push({
    path: new URL(request.url).pathname,
    key: request.headers.get("Idempotency-Key"),
    body,
  });
  return body;
}

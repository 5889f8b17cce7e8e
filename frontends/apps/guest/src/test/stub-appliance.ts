// The appliance of the component tests: a mock behind `fetch`, installed when this module loads. Import it first
// in a test file: the api client captures `fetch` and `Request` when it is imported. It imports no app module.
import { vi } from "vitest";

// jsdom's location gives relative URLs a base; Node's Request has none.
const NativeRequest = globalThis.Request;
class RelativeRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, globalThis.location.origin) : input, init);
  }
}
globalThis.Request = RelativeRequest as typeof Request;

/** Answers every request the app makes; set an implementation per test. */
export const appliance = vi.fn<(request: Request) => Promise<Response>>();

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
  appliance(input instanceof Request ? input : new Request(input, init));

export function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export interface Sent {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

/** Every request the app sent so far, in order. */
export async function sent(): Promise<Sent[]> {
  return Promise.all(
    appliance.mock.calls.map(async ([request]) => {
      const text = await request.clone().text();
      return {
        method: request.method,
        path: new URL(request.url).pathname,
        auth: request.headers.get("Authorization"),
        body: text ? (JSON.parse(text) as unknown) : null,
      };
    }),
  );
}

// The cloud of the component tests: a mock behind `fetch`, installed when this module loads. Import it first in
// a test file: the cloud client captures `fetch` and `Request` when it is imported. It imports no app module.
import { vi } from "vitest";

// jsdom's location gives relative URLs a base; Node's Request has none.
const NativeRequest = globalThis.Request;
class RelativeRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, globalThis.location.origin) : input, init);
  }
}
globalThis.Request = RelativeRequest as typeof Request;

/** Answers every request the panel makes; set an implementation per test. */
export const cloud = vi.fn<(request: Request) => Promise<Response>>();

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
  cloud(input instanceof Request ? input : new Request(input, init));

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export interface Sent {
  method: string;
  /** Path and query, e.g. "/api/sites/?status=locked". */
  url: string;
  auth: string | null;
  body: unknown;
}

/** Every request the panel sent so far, in order. */
export async function sent(): Promise<Sent[]> {
  return Promise.all(
    cloud.mock.calls.map(async ([request]) => {
      const text = await request.clone().text();
      const url = new URL(request.url);
      return {
        method: request.method,
        url: url.pathname + url.search,
        auth: request.headers.get("Authorization"),
        body: text ? (JSON.parse(text) as unknown) : null,
      };
    }),
  );
}

/** Route a request by "METHOD /path" (query left out) to an answer; anything else is a 404 like the cloud's. */
export function serve(routes: Record<string, (request: Request) => Response | Promise<Response>>): void {
  cloud.mockImplementation(async (request) => {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`];
    return route ? route(request) : json(404, { detail: "Not Found", code: "NOT_FOUND" });
  });
}

// The appliance of these component tests: a mock behind `fetch`, installed when this module loads. Import it first
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

export const appliance = vi.fn<(request: Request) => Promise<Response>>();

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
  appliance(input instanceof Request ? input : new Request(input, init));

export function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** Route "METHOD /path" (query left out) to an answer; anything else is a 404 like the appliance's. */
export function serve(routes: Record<string, (request: Request) => Response | Promise<Response>>): void {
  appliance.mockImplementation(async (request) => {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`];
    return route ? route(request) : json(404, { detail: "Not Found", code: "NOT_FOUND" });
  });
}

/** The bodies of the writes sent so far, in order. */
export async function writes(): Promise<{ method: string; path: string; body: unknown }[]> {
  const calls = appliance.mock.calls.map(([request]) => request).filter((request) => request.method !== "GET");
  return Promise.all(
    calls.map(async (request) => {
      const text = await request.clone().text();
      const body = text ? (JSON.parse(text) as unknown) : null;
      return { method: request.method, path: new URL(request.url).pathname, body };
    }),
  );
}

// A tiny stand-in for the appliance behind `fetch`: orders, idempotency keys (a repeated key gets the first
// answer and changes nothing, as local_backend/system/idempotency.py does), Wi-Fi drops and lost responses.

import { vi } from "vitest";

// Node's setImmediate stays real (the tests fake only timers and Date): a turn of the event loop, which
// reading a Response body may need.
const { setImmediate: realImmediate } = globalThis as unknown as { setImmediate: (callback: () => void) => void };
export const macrotask = () => new Promise<void>((resolve) => realImmediate(resolve));

/** Let the outbox's sender run under fake timers: promises, bodies, and any timer due now. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    await vi.advanceTimersByTimeAsync(0);
    await macrotask();
  }
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface Write {
  path: string;
  key: string;
  body: unknown;
}

export const USER = {
  id: 1,
  username: "maria",
  display_name: "Maria",
  role: "waiter",
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};

/** What session.ts reads at start: Maria signed in. */
export function signInStored(access = "access-1"): void {
  localStorage.setItem("tavolo.access", access);
  localStorage.setItem("tavolo.refresh", "refresh-1");
  localStorage.setItem("tavolo.user", JSON.stringify(USER));
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export class FakeAppliance {
  /** false: every request fails as when the Wi-Fi drops. */
  online = true;
  /** Process this many writes, then drop their responses on the way back. */
  loseResponses = 0;
  /** The access token the appliance accepts; anything else is a 401. */
  validAccess = "access-1";
  /** Whether /api/auth/refresh succeeds. */
  refreshWorks = true;
  /** Paths answered with this reply instead of the normal behaviour (refusals, server errors). */
  readonly forced = new Map<string, Reply>();
  /** Every write that reached the appliance, replays included. */
  readonly received: Write[] = [];
  /** Writes that changed something, in the order they did. */
  readonly applied: Write[] = [];
  readonly orders = new Set<number>([7, 8]);
  private readonly openTables = new Map<number, number>();
  /** Per order, the course fired up to (orders start with course 1 fired). */
  readonly firedCourses = new Map<number, number>();
  private readonly replies = new Map<string, Reply>();
  private nextOrderId = 100;

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!this.online) throw new TypeError("Failed to fetch");
    const path = new URL(request.url).pathname;
    if (path === "/api/system/health") return json(200, { status: "ok" });
    if (path === "/api/auth/refresh") {
      if (!this.refreshWorks) return json(401, { detail: "Refresh token revoked", code: "TOKEN_REVOKED" });
      return json(200, { access_token: this.validAccess, refresh_token: "refresh-2", user: { id: 1 } });
    }
    if (request.headers.get("Authorization") !== `Bearer ${this.validAccess}`) {
      return json(401, { detail: "Token expired", code: "TOKEN_EXPIRED" });
    }
    const key = request.headers.get("Idempotency-Key") ?? "";
    const body: unknown = JSON.parse((await request.text()) || "null");
    this.received.push({ path, key, body });
    let reply = this.replies.get(key);
    if (!reply) {
      reply = this.forced.get(path) ?? this.handle(path, key, body);
      if (reply.status < 300) this.replies.set(key, reply);
    }
    if (this.loseResponses > 0) {
      this.loseResponses -= 1;
      throw new TypeError("Network connection lost");
    }
    return json(reply.status, reply.body);
  };

  openOrderOn(tableId: number): number {
    const id = this.nextOrderId++;
    this.orders.add(id);
    this.openTables.set(tableId, id);
    return id;
  }

  private handle(path: string, key: string, body: unknown): Reply {
    if (path === "/api/orders/") {
      const tableId = (body as { table_id: number }).table_id;
      if (this.openTables.has(tableId)) {
        return { status: 409, body: { detail: "The table already has an open order", code: "TABLE_HAS_OPEN_ORDER" } };
      }
      const id = this.openOrderOn(tableId);
      this.applied.push({ path, key, body });
      return { status: 201, body: { id, table_id: tableId, status: "open" } };
    }
    const match = /^\/api\/orders\/(\d+)\/(items|fire|pay|close)$/.exec(path);
    if (!match || !this.orders.has(Number(match[1]))) {
      return { status: 404, body: { detail: "Order not found", code: "ORDER_NOT_FOUND" } };
    }
    if (match[2] === "fire") {
      // As orders/service.py fire_course: a course already fired (and nothing of it held) is a conflict.
      const orderId = Number(match[1]);
      const course = (body as { course: number }).course;
      const fired = this.firedCourses.get(orderId) ?? 1;
      if (course <= fired) {
        return { status: 409, body: { detail: `Nothing of course ${course} is held`, code: "NOTHING_TO_FIRE" } };
      }
      this.firedCourses.set(orderId, course);
      this.applied.push({ path, key, body });
      return { status: 200, body: { id: orderId, fired_course: course, items: [] } };
    }
    this.applied.push({ path, key, body });
    return { status: 201, body: { order_id: Number(match[1]), items: [] } };
  }
}

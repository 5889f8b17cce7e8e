// The appliance's typed client: generated types (appliance.d.ts, `make api-types`) plus the auth and
// network behaviour every app shares. Never hand-type a request or response shape; import it from here.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./appliance";

export type { components, paths };
export type Schemas = components["schemas"];
export type User = Schemas["UserRead"];
export type TokenPair = Schemas["TokenPair"];
export type Table = Schemas["TableRead"];
export type TableGroup = Schemas["TableGroupRead"];
export type Category = Schemas["CategoryRead"];
export type Product = Schemas["ProductRead"];
export type Order = Schemas["OrderRead"];
export type OrderSummary = Schemas["OrderSummaryRead"];
export type OrderItem = Schemas["OrderItemRead"];
export type OrderItemCreate = Schemas["OrderItemCreate"];
export type ItemsAdded = Schemas["ItemsAddedRead"];
export type PaymentCreate = Schemas["PaymentCreate"];
export type PaymentMethod = PaymentCreate["method"];
export type PaymentIn = Schemas["PaymentIn"];
export type Payment = Schemas["PaymentRead"];
export type Refund = Schemas["RefundRead"];
export type PaymentRecorded = Schemas["PaymentRecordedRead"];
export type PaymentMethodInfo = Schemas["PaymentMethodRead"];
export type ItemUnits = Schemas["ItemUnits"];
export type SplitCreate =
  | Schemas["SplitByItems"]
  | Schemas["SplitBySeats"]
  | Schemas["SplitEven"]
  | Schemas["SplitByAmounts"];
export type Split = Schemas["SplitRead"];
export type SplitPart = Schemas["SplitPartRead"];
export type OrderTotals = Schemas["OrderTotalsRead"];
export type Discount = Schemas["DiscountRead"];
export type DiscountCreate = Schemas["DiscountCreate"];
export type DiscountRecorded = Schemas["DiscountRecordedRead"];
export type ApprovalIn = Schemas["ApprovalIn"];
export type Approval = Schemas["ApprovalRead"];
export type UpiRequest = Schemas["UpiRequestRead"];
export type UpiRequestCreate = Schemas["UpiRequestCreate"];
export type UpiAvailability = Schemas["UpiAvailabilityRead"];
export type PrintAlert = Schemas["PrintAlertRead"];
export type PrinterStatus = Schemas["PrinterStatusRead"];

/** The appliance answered with an error: `code` is the machine-readable reason (ARCHITECTURE §3.2). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: unknown;

  constructor(status: number, code: string, detail: string, body?: unknown) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The appliance could not be reached (Wi-Fi down, appliance off, timeout): the request may be retried. */
export class NetworkError extends Error {
  constructor(message = "The appliance cannot be reached") {
    super(message);
    this.name = "NetworkError";
  }
}

export interface TokenStore {
  readonly access: string | null;
  readonly refresh: string | null;
  save(pair: TokenPair): void;
  clear(): void;
}

/** Where localTokenStore keeps the tokens (without a prefix): apps watch them to follow other tabs. */
export const TOKEN_STORAGE_KEYS = { access: "tavolo.access", refresh: "tavolo.refresh" } as const;
const ACCESS_KEY = TOKEN_STORAGE_KEYS.access;
const REFRESH_KEY = TOKEN_STORAGE_KEYS.refresh;

/** Tokens in localStorage: a waiter's phone keeps its session through a reload or an app restart offline. */
export function localTokenStore(storage: Storage = globalThis.localStorage, prefix = ""): TokenStore {
  return {
    get access() {
      return storage.getItem(prefix + ACCESS_KEY);
    },
    get refresh() {
      return storage.getItem(prefix + REFRESH_KEY);
    },
    save(pair) {
      storage.setItem(prefix + ACCESS_KEY, pair.access_token);
      storage.setItem(prefix + REFRESH_KEY, pair.refresh_token);
    },
    clear() {
      storage.removeItem(prefix + ACCESS_KEY);
      storage.removeItem(prefix + REFRESH_KEY);
    },
  };
}

export interface ClientOptions {
  baseUrl?: string;
  tokens: TokenStore;
  /**
   * Called when the session cannot be renewed (refresh token expired, revoked, or none stored), after the tokens
   * were cleared: show the login.
   */
  onAuthLost?: () => void;
  /** Called with false when a request could not reach the appliance and true when one did. */
  onReachability?: (reachable: boolean) => void;
  /** A phone on flaky Wi-Fi must not wait forever; writes are retried with their idempotency key. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface ApplianceClient extends Client<paths> {
  /** The authenticated fetch under the typed client, for requests built at run time (the offline outbox). */
  fetch: (input: Request) => Promise<Response>;
  tokens: TokenStore;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    body = null;
  }
  const record = (body ?? {}) as { detail?: unknown; code?: unknown };
  const detail = typeof record.detail === "string" ? record.detail : response.statusText || `HTTP ${response.status}`;
  const code = typeof record.code === "string" ? record.code : `HTTP_${response.status}`;
  return new ApiError(response.status, code, detail, body);
}

/** The request's own signal (a caller cancelling) combined with the client's timeout. */
function withTimeout(own: AbortSignal, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  if (typeof AbortSignal.any === "function") return AbortSignal.any([own, timeout]);
  const controller = new AbortController();
  for (const source of [own, timeout]) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener("abort", () => controller.abort(source.reason), { once: true });
  }
  return controller.signal;
}

function abortError(reason: unknown): Error {
  return reason instanceof Error && reason.name === "AbortError"
    ? reason
    : new DOMException("The request was cancelled", "AbortError");
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Two 53-bit string hashes (cyrb53) side by side: stable, and collisions between tokens are out of reach. */
function stableHash(text: string): string {
  const part = (seed: number) => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
  };
  return part(1) + part(2);
}

/**
 * The Idempotency-Key of a refresh: derived from the refresh token, so a refresh retried after its answer was
 * lost (or sent by two tabs at once) gets the pair the appliance already issued instead of looking like a
 * stolen, reused token (which revokes the whole login).
 */
export async function refreshIdempotencyKey(refreshToken: string): Promise<string> {
  // crypto.subtle exists only in secure contexts; a phone on http://<appliance> falls back to a plain hash.
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      const digest = await subtle.digest("SHA-256", new TextEncoder().encode(refreshToken));
      return `refresh-${hex(new Uint8Array(digest))}`;
    } catch {
      // fall through to the plain hash
    }
  }
  return `refresh-${stableHash(refreshToken)}`;
}

/** Run `task` alone across the app's tabs when the browser can (navigator.locks), else just run it. */
function exclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? (navigator as { locks?: LockManager }).locks : undefined;
  // The lib types request() as resolving to the callback's promise; it resolves to what that promise gives.
  return locks ? (locks.request(name, task) as unknown as Promise<T>) : task();
}

const REFRESH_LOCK = "tavolo-refresh";

export function createApplianceClient(options: ClientOptions): ApplianceClient {
  const baseFetch = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { tokens } = options;
  let refreshing: Promise<boolean> | null = null;

  async function send(request: Request): Promise<Response> {
    try {
      const response = await baseFetch(request, { signal: withTimeout(request.signal, timeoutMs) });
      options.onReachability?.(true);
      return response;
    } catch {
      // The caller cancelled: not a network problem, and the appliance may well be reachable.
      if (request.signal.aborted) throw abortError(request.signal.reason);
      options.onReachability?.(false);
      throw new NetworkError();
    }
  }

  function withToken(request: Request): Request {
    const copy = new Request(request);
    if (tokens.access) copy.headers.set("Authorization", `Bearer ${tokens.access}`);
    return copy;
  }

  function authLost(): void {
    tokens.clear();
    options.onAuthLost?.();
  }

  /** Renew the session after `staleAccess` was refused; true when a request may be retried with tokens.access. */
  async function renew(staleAccess: string | null): Promise<boolean> {
    // Renewed meanwhile (by another tab, or a login): use that.
    const access = tokens.access;
    if (access !== null && access !== staleAccess) return true;
    const token = tokens.refresh;
    if (!token) {
      // Nothing to renew with: the app must not go on looking signed in.
      authLost();
      return false;
    }
    const url = new URL("/api/auth/refresh", options.baseUrl ?? globalThis.location.origin);
    // A NetworkError from here leaves the tokens alone: the retry sends the same key and gets the same pair.
    const response = await send(
      new Request(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": await refreshIdempotencyKey(token) },
        body: JSON.stringify({ refresh_token: token }),
      }),
    );
    // A logout or another login while the refresh was on its way wins over its answer.
    const superseded = () => tokens.refresh !== token;
    const usable = () => tokens.access !== null && tokens.access !== staleAccess;
    if (!response.ok) {
      if (superseded()) return usable();
      if (response.status === 401 || response.status === 403) authLost();
      return false;
    }
    let pair: TokenPair;
    try {
      pair = (await response.json()) as TokenPair;
    } catch {
      throw new NetworkError("The appliance's answer was cut off");
    }
    if (superseded()) return usable();
    tokens.save(pair);
    return true;
  }

  // One refresh at a time: ten queries failing together with 401 must not rotate the token ten times, and
  // neither must two tabs.
  function refresh(staleAccess: string | null): Promise<boolean> {
    refreshing ??= exclusive(REFRESH_LOCK, () => renew(staleAccess)).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function authFetch(request: Request): Promise<Response> {
    const retry = request.clone();
    const staleAccess = tokens.access;
    const response = await send(withToken(request));
    if (response.status !== 401 || request.url.endsWith("/api/auth/login") || request.url.endsWith("/api/auth/refresh")) {
      return response;
    }
    if (!(await refresh(staleAccess))) return response;
    return send(withToken(retry));
  }

  const client = createClient<paths>({ baseUrl: options.baseUrl ?? "", fetch: authFetch }) as ApplianceClient;
  client.fetch = authFetch;
  client.tokens = tokens;
  return client;
}

/** Unwrap an openapi-fetch result: the data, or an ApiError carrying the server's code. */
export async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await result;
  if (error === undefined && response.ok) return data as T;
  // openapi-fetch has already read the body into `error`; the response itself can no longer be read.
  const record = (error ?? {}) as { detail?: unknown; code?: unknown };
  if (typeof record.code === "string" && typeof record.detail === "string") {
    throw new ApiError(response.status, record.code, record.detail, error);
  }
  throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText || `HTTP ${response.status}`, error);
}

/** A fresh idempotency key (ARCHITECTURE §3.2): one per user intent, reused on every retry of it. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; a phone on http://<pi-address> is not one.
  if (typeof globalThis.crypto.randomUUID === "function") return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export { startEventSocket, type EventMessage, type EventSocketOptions } from "./events";
export { ALLERGEN_CODES, ALLERGEN_NAMES_EN, canonicalAllergens, type Allergen } from "./allergens";

// The licensing cloud's client (the sysadmin panel): its own generated types, this module's transport.
export * from "./cloud";

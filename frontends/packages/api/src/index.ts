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

const ACCESS_KEY = "tavolo.access";
const REFRESH_KEY = "tavolo.refresh";

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
  /** Called when the session cannot be renewed (refresh token expired or revoked): show the login. */
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

export function createApplianceClient(options: ClientOptions): ApplianceClient {
  const baseFetch = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { tokens } = options;
  let refreshing: Promise<boolean> | null = null;

  async function send(request: Request): Promise<Response> {
    try {
      const response = await baseFetch(request, { signal: AbortSignal.timeout(timeoutMs) });
      options.onReachability?.(true);
      return response;
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError" && request.signal.aborted) {
        throw error; // the caller cancelled: not a network problem
      }
      options.onReachability?.(false);
      throw new NetworkError();
    }
  }

  function withToken(request: Request): Request {
    const copy = new Request(request);
    if (tokens.access) copy.headers.set("Authorization", `Bearer ${tokens.access}`);
    return copy;
  }

  // One refresh at a time: ten queries failing together with 401 must not rotate the token ten times.
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const token = tokens.refresh;
      if (!token) return false;
      const url = new URL("/api/auth/refresh", options.baseUrl ?? globalThis.location.origin);
      const response = await send(
        new Request(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: token }),
        }),
      );
      if (!response.ok) {
        if (response.status === 401 || response.status === 403) {
          tokens.clear();
          options.onAuthLost?.();
        }
        return false;
      }
      tokens.save((await response.json()) as TokenPair);
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function authFetch(request: Request): Promise<Response> {
    const retry = request.clone();
    const response = await send(withToken(request));
    if (response.status !== 401 || request.url.endsWith("/api/auth/login") || request.url.endsWith("/api/auth/refresh")) {
      return response;
    }
    if (!(await refresh())) return response;
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

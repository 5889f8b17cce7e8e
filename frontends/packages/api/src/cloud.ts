// The licensing cloud's typed client for the sysadmin panel: generated types (cloud.d.ts, `make api-types`) on
// the appliance client's transport (timeouts, reachability, ApiError/NetworkError, `unwrap`).
//
// This module and index.ts import each other (index re-exports it): keep index's values out of this module's
// top level, so it works whichever of the two is evaluated first.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./cloud.d";
import { createApplianceClient, type TokenStore } from "./index";

export type CloudPaths = paths;
export type CloudSchemas = components["schemas"];
export type CloudToken = CloudSchemas["TokenOut"];
export type Sysadmin = CloudSchemas["SysadminRead"];
export type SiteStatus = CloudSchemas["SiteStatus"];
export type SiteSort = CloudSchemas["SiteSort"];
export type SiteRead = CloudSchemas["SiteRead"];
export type SiteDetail = CloudSchemas["SiteDetail"];
export type SiteSummary = CloudSchemas["SiteSummary"];
export type SiteCreate = CloudSchemas["SiteCreate"];
export type SiteCreated = CloudSchemas["SiteCreated"];
export type SiteUpdate = CloudSchemas["SiteUpdate"];
export type SiteKey = CloudSchemas["SiteKeyOut"];
export type SiteHeartbeat = CloudSchemas["HeartbeatRead"];
export type SiteAlert = CloudSchemas["AlertRead"];
export type AuditEvent = CloudSchemas["AuditEventRead"];

/** Where the sysadmin's access token is kept. The cloud issues no refresh token: a refused one means log in. */
export interface CloudTokenStore {
  readonly access: string | null;
  save(token: CloudToken): void;
  clear(): void;
}

export const CLOUD_TOKEN_KEY = "tavolo.cloud.access";

/**
 * The token in sessionStorage: a sysadmin can lock any restaurant, so the session ends when its tab is closed
 * instead of waiting on a shared laptop for its expiry (a reload keeps it; a new tab asks for the password).
 */
export function sessionTokenStore(storage: Storage = globalThis.sessionStorage, key = CLOUD_TOKEN_KEY): CloudTokenStore {
  return {
    get access() {
      return storage.getItem(key);
    },
    save(token) {
      storage.setItem(key, token.access_token);
    },
    clear() {
      storage.removeItem(key);
    },
  };
}

export interface CloudClientOptions {
  baseUrl?: string;
  tokens: CloudTokenStore;
  /** Called after a request was refused for its token (expired, revoked) and the store was cleared: show the login. */
  onAuthLost?: () => void;
  /** Called with false when a request could not reach the cloud and true when one did. */
  onReachability?: (reachable: boolean) => void;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface CloudClient extends Client<paths> {
  tokens: CloudTokenStore;
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const { tokens } = options;
  // No refresh token is ever stored, so the transport never tries to renew: a 401 (other than the login's own)
  // clears the store and calls onAuthLost at once.
  const transportTokens: TokenStore = {
    get access() {
      return tokens.access;
    },
    refresh: null,
    save: () => undefined,
    clear: () => tokens.clear(),
  };
  const transport = createApplianceClient({
    baseUrl: options.baseUrl,
    tokens: transportTokens,
    onAuthLost: options.onAuthLost,
    onReachability: options.onReachability,
    timeoutMs: options.timeoutMs,
    fetchImpl: options.fetchImpl,
  });
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? "", fetch: transport.fetch }) as CloudClient;
  client.tokens = tokens;
  return client;
}

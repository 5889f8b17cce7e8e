import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  NetworkError,
  createApplianceClient,
  refreshIdempotencyKey,
  unwrap,
  type TokenPair,
  type TokenStore,
} from "../index";

function memoryTokens(access: string | null, refresh: string | null): TokenStore & { saved: TokenPair[] } {
  const state = { access, refresh };
  const saved: TokenPair[] = [];
  return {
    get access() {
      return state.access;
    },
    get refresh() {
      return state.refresh;
    },
    save(pair) {
      saved.push(pair);
      state.access = pair.access_token;
      state.refresh = pair.refresh_token;
    },
    clear() {
      state.access = null;
      state.refresh = null;
    },
    saved,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const pair = (access: string): TokenPair => ({
  access_token: access,
  refresh_token: `r-${access}`,
  token_type: "bearer",
  expires_in: 60,
  user: { id: 1, username: "maria", display_name: "Maria", role: "waiter", is_active: true, created_at: "" },
});

describe("the appliance client", () => {
  it("turns an error body into an ApiError with the server's code", async () => {
    const fetchImpl = vi.fn(async () => json(409, { detail: "Table 4 already has an open order", code: "TABLE_HAS_OPEN_ORDER" }));
    const api = createApplianceClient({ baseUrl: "http://pos", tokens: memoryTokens("a", "r"), fetchImpl });
    const error = await unwrap(api.POST("/api/orders/", { body: { table_id: 4 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "TABLE_HAS_OPEN_ORDER", message: "Table 4 already has an open order" });
  });

  it("refreshes an expired access token once and retries the request", async () => {
    const tokens = memoryTokens("old", "r-old");
    const seen: string[] = [];
    const fetchImpl = vi.fn(async (request: Request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("Authorization") ?? ""}`);
      if (request.url.endsWith("/api/auth/refresh")) return json(200, pair("new"));
      if (request.headers.get("Authorization") === "Bearer old") return json(401, { detail: "expired", code: "TOKEN_EXPIRED" });
      return json(200, { id: 1, username: "maria", display_name: "Maria", role: "waiter", is_active: true, created_at: "" });
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, fetchImpl: fetchImpl as typeof fetch });
    const me = await unwrap(api.GET("/api/auth/me"));
    expect(me.username).toBe("maria");
    expect(seen).toEqual(["GET /api/auth/me Bearer old", "POST /api/auth/refresh ", "GET /api/auth/me Bearer new"]);
    expect(tokens.refresh).toBe("r-new");
  });

  it("signs out when the refresh token is refused", async () => {
    const tokens = memoryTokens("old", "r-old");
    const onAuthLost = vi.fn();
    const fetchImpl = vi.fn(async () => json(401, { detail: "no", code: "REFRESH_TOKEN_INVALID" }));
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, onAuthLost, fetchImpl });
    await expect(unwrap(api.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(onAuthLost).toHaveBeenCalledOnce();
    expect(tokens.access).toBeNull();
  });

  it("reports an unreachable appliance as a NetworkError", async () => {
    const onReachability = vi.fn();
    const fetchImpl = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens: memoryTokens("a", "r"), onReachability, fetchImpl });
    await expect(api.GET("/api/tables/")).rejects.toBeInstanceOf(NetworkError);
    expect(onReachability).toHaveBeenCalledWith(false);
  });
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const isRefresh = (request: Request) => request.url.endsWith("/api/auth/refresh");
const expired = () => json(401, { detail: "expired", code: "TOKEN_EXPIRED" });
const meBody = { id: 1, username: "maria", display_name: "Maria", role: "waiter", is_active: true, created_at: "" };

afterEach(() => {
  Reflect.deleteProperty(navigator, "locks");
});

describe("the session refresh", () => {
  it("signs out when there is no refresh token to renew with", async () => {
    const tokens = memoryTokens("old", null);
    const onAuthLost = vi.fn();
    const fetchImpl = vi.fn(async () => expired());
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, onAuthLost, fetchImpl: fetchImpl as typeof fetch });
    await expect(unwrap(api.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(onAuthLost).toHaveBeenCalledOnce();
    expect(tokens.access).toBeNull();
    expect(fetchImpl).toHaveBeenCalledOnce(); // no refresh attempted
  });

  it("carries an Idempotency-Key derived from the refresh token", async () => {
    const keys: (string | null)[] = [];
    const fetchImpl = vi.fn(async (request: Request) => {
      if (isRefresh(request)) {
        keys.push(request.headers.get("Idempotency-Key"));
        return json(200, pair("new"));
      }
      return request.headers.get("Authorization") === "Bearer new" ? json(200, meBody) : expired();
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens: memoryTokens("old", "r-old"), fetchImpl: fetchImpl as typeof fetch });
    await unwrap(api.GET("/api/auth/me"));
    expect(keys).toEqual([`refresh-${await sha256Hex("r-old")}`]);
    expect(await refreshIdempotencyKey("r-old")).toBe(keys[0]);
  });

  it("derives a stable key without crypto.subtle (a phone on plain http)", async () => {
    vi.spyOn(globalThis.crypto, "subtle", "get").mockReturnValue(undefined as never);
    try {
      const key = await refreshIdempotencyKey("r-old");
      expect(key).toMatch(/^refresh-[0-9a-f]{28}$/);
      expect(await refreshIdempotencyKey("r-old")).toBe(key);
      expect(await refreshIdempotencyKey("r-olD")).not.toBe(key);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("keeps the tokens when the refresh gets no answer, and retries it with the same key", async () => {
    const tokens = memoryTokens("old", "r-old");
    const onAuthLost = vi.fn();
    const keys: (string | null)[] = [];
    let drop = true;
    const fetchImpl = vi.fn(async (request: Request) => {
      if (isRefresh(request)) {
        keys.push(request.headers.get("Idempotency-Key"));
        if (drop) {
          drop = false;
          throw new TypeError("Failed to fetch");
        }
        return json(200, pair("new"));
      }
      return request.headers.get("Authorization") === "Bearer new" ? json(200, meBody) : expired();
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, onAuthLost, fetchImpl: fetchImpl as typeof fetch });
    await expect(api.GET("/api/auth/me")).rejects.toBeInstanceOf(NetworkError);
    expect(tokens.access).toBe("old");
    expect(tokens.refresh).toBe("r-old");
    expect(onAuthLost).not.toHaveBeenCalled();

    await unwrap(api.GET("/api/auth/me"));
    expect(tokens.refresh).toBe("r-new");
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^refresh-[0-9a-f]{64}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("lets a logout during the refresh win over its answer", async () => {
    const tokens = memoryTokens("old", "r-old");
    const onAuthLost = vi.fn();
    const fetchImpl = vi.fn(async (request: Request) => {
      if (isRefresh(request)) {
        tokens.clear(); // the waiter logged out while the refresh was on its way
        return json(200, pair("new"));
      }
      return expired();
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, onAuthLost, fetchImpl: fetchImpl as typeof fetch });
    const { response } = await api.GET("/api/auth/me");
    expect(response.status).toBe(401);
    expect(tokens.saved).toEqual([]);
    expect(tokens.access).toBeNull();
    expect(fetchImpl).toHaveBeenCalledTimes(2); // no retry with tokens that are gone
  });

  it("does not sign out when another login replaced the refused token meanwhile", async () => {
    const tokens = memoryTokens("old", "r-old");
    const onAuthLost = vi.fn();
    const fetchImpl = vi.fn(async (request: Request) => {
      if (isRefresh(request)) {
        tokens.save(pair("fresh")); // someone logged in again meanwhile
        return json(401, { detail: "no", code: "REFRESH_TOKEN_INVALID" });
      }
      return request.headers.get("Authorization") === "Bearer fresh" ? json(200, meBody) : expired();
    });
    const api = createApplianceClient({ baseUrl: "http://pos", tokens, onAuthLost, fetchImpl: fetchImpl as typeof fetch });
    const me = await unwrap(api.GET("/api/auth/me"));
    expect(me.username).toBe("maria");
    expect(onAuthLost).not.toHaveBeenCalled();
    expect(tokens.refresh).toBe("r-fresh");
  });

  it("is done once for two tabs when the browser has locks", async () => {
    // One Web Lock, enough for one name: the second request waits for the first to finish.
    let tail = Promise.resolve();
    const locks = {
      request: (_name: string, callback: () => Promise<unknown>) => {
        const run = tail.then(callback);
        tail = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
    };
    Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
    // Both tabs read the same stored tokens.
    const shared = memoryTokens("old", "r-old");
    let refreshes = 0;
    const fetchImpl = vi.fn(async (request: Request) => {
      if (isRefresh(request)) {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return json(200, pair(`new${refreshes}`));
      }
      return request.headers.get("Authorization")?.startsWith("Bearer new") ? json(200, meBody) : expired();
    });
    const first = createApplianceClient({ baseUrl: "http://pos", tokens: shared, fetchImpl: fetchImpl as typeof fetch });
    const second = createApplianceClient({ baseUrl: "http://pos", tokens: shared, fetchImpl: fetchImpl as typeof fetch });
    await Promise.all([unwrap(first.GET("/api/auth/me")), unwrap(second.GET("/api/auth/me"))]);
    expect(refreshes).toBe(1);
    expect(shared.saved).toHaveLength(1);
  });
});

describe("cancelling a request", () => {
  /** A fetch that waits for its signal, like a request to a slow appliance. */
  const hanging = vi.fn(
    (_request: Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      }),
  );

  it("by the caller rejects with an AbortError, not a NetworkError", async () => {
    const onReachability = vi.fn();
    const api = createApplianceClient({
      baseUrl: "http://pos",
      tokens: memoryTokens("a", "r"),
      onReachability,
      timeoutMs: 2_000,
      fetchImpl: hanging as typeof fetch,
    });
    const controller = new AbortController();
    const pending = api.fetch(new Request("http://pos/api/tables/", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(onReachability).not.toHaveBeenCalled();
  });

  it("by the timeout still reports the appliance unreachable", async () => {
    const onReachability = vi.fn();
    const api = createApplianceClient({
      baseUrl: "http://pos",
      tokens: memoryTokens("a", "r"),
      onReachability,
      timeoutMs: 20,
      fetchImpl: hanging as typeof fetch,
    });
    await expect(api.fetch(new Request("http://pos/api/tables/"))).rejects.toBeInstanceOf(NetworkError);
    expect(onReachability).toHaveBeenCalledWith(false);
  });
});

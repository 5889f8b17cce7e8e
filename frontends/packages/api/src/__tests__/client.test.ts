import { describe, expect, it, vi } from "vitest";
import { ApiError, NetworkError, createApplianceClient, unwrap, type TokenPair, type TokenStore } from "../index";

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

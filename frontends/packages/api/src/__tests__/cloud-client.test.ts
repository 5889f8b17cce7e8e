import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  CLOUD_TOKEN_KEY,
  NetworkError,
  TOKEN_STORAGE_KEYS,
  createCloudClient,
  sessionTokenStore,
  unwrap,
  type CloudTokenStore,
} from "../index";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function memoryTokens(access: string | null): CloudTokenStore {
  let current = access;
  return {
    get access() {
      return current;
    },
    save(token) {
      current = token.access_token;
    },
    clear() {
      current = null;
    },
  };
}

const SUMMARY = { total: 3, active: 1, locked: 1, expired: 0, never_seen: 1, stale: 0 };

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe("the cloud client", () => {
  it("sends the sysadmin's token and returns typed data", async () => {
    const seen: string[] = [];
    const fetchImpl = vi.fn(async (request: Request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("Authorization") ?? ""}`);
      return json(200, SUMMARY);
    });
    const cloud = createCloudClient({ baseUrl: "http://cloud", tokens: memoryTokens("t1"), fetchImpl: fetchImpl as typeof fetch });
    const summary = await unwrap(cloud.GET("/api/sites/summary"));
    expect(summary.locked).toBe(1);
    expect(seen).toEqual(["GET /api/sites/summary Bearer t1"]);
  });

  it("ends the session on a refused token without trying to renew it", async () => {
    const tokens = memoryTokens("expired");
    const onAuthLost = vi.fn();
    const fetchImpl = vi.fn(async () => json(401, { detail: "Your session has expired", code: "TOKEN_EXPIRED" }));
    const cloud = createCloudClient({ baseUrl: "http://cloud", tokens, onAuthLost, fetchImpl });
    const error = await unwrap(cloud.GET("/api/sites/")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: "TOKEN_EXPIRED" });
    expect(onAuthLost).toHaveBeenCalledOnce();
    expect(tokens.access).toBeNull();
    expect(fetchImpl).toHaveBeenCalledOnce(); // no refresh request: the cloud has none
  });

  it("reports wrong credentials and throttling from the login by their code, keeping the session alone", async () => {
    const onAuthLost = vi.fn();
    const answers = [
      json(401, { detail: "Wrong username or password", code: "INVALID_CREDENTIALS" }),
      json(429, { detail: "Too many failed logins; try again later", code: "LOGIN_THROTTLED" }),
    ];
    const fetchImpl = vi.fn(async () => answers.shift() as Response);
    const cloud = createCloudClient({ baseUrl: "http://cloud", tokens: memoryTokens(null), onAuthLost, fetchImpl });
    const body = { username: "admin", password: "nope" };
    await expect(unwrap(cloud.POST("/api/auth/login", { body }))).rejects.toMatchObject({
      status: 401,
      code: "INVALID_CREDENTIALS",
    });
    await expect(unwrap(cloud.POST("/api/auth/login", { body }))).rejects.toMatchObject({
      status: 429,
      code: "LOGIN_THROTTLED",
      message: "Too many failed logins; try again later",
    });
    expect(onAuthLost).not.toHaveBeenCalled();
  });

  it("reports an unreachable cloud as a NetworkError", async () => {
    const onReachability = vi.fn();
    const fetchImpl = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    const cloud = createCloudClient({ baseUrl: "http://cloud", tokens: memoryTokens("t"), onReachability, fetchImpl });
    await expect(cloud.GET("/api/sites/summary")).rejects.toBeInstanceOf(NetworkError);
    expect(onReachability).toHaveBeenCalledWith(false);
  });
});

describe("the sysadmin's token store", () => {
  it("keeps the token in sessionStorage under its own key, apart from the appliance's tokens", () => {
    localStorage.setItem(TOKEN_STORAGE_KEYS.access, "waiter-token");
    const tokens = sessionTokenStore();
    tokens.save({ access_token: "admin-token", token_type: "bearer", expires_in: 3600 });
    expect(sessionStorage.getItem(CLOUD_TOKEN_KEY)).toBe("admin-token");
    expect(tokens.access).toBe("admin-token");
    expect(localStorage.getItem(TOKEN_STORAGE_KEYS.access)).toBe("waiter-token");
    expect(localStorage.length).toBe(1);
    tokens.clear();
    expect(tokens.access).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });
});

// The query cache and the session: cached answers live a day (they are persisted for restarts offline) and
// are forgotten, in memory and on disk, when the session is taken away or another waiter signs in.
import type { Persister } from "@tanstack/react-query-persist-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeAppliance, USER, settle, signInStored } from "./fake-appliance";

let server: FakeAppliance;

async function load() {
  vi.resetModules();
  vi.stubGlobal("fetch", server.fetch);
  const queries = await import("../query-client");
  const session = await import("../session");
  const { api } = await import("../api");
  const persister: Persister = {
    persistClient: vi.fn(),
    restoreClient: vi.fn(),
    removeClient: vi.fn(),
  };
  const queryClient = queries.createQueryClient();
  queries.clearCachesOnSessionReset(queryClient, persister);
  queryClient.setQueryData(["tables"], [{ id: 1 }]);
  return { ...queries, ...session, api, queryClient, persister };
}

const pairFor = (user: typeof USER) =>
  ({ access_token: "access-1", refresh_token: "refresh-1", token_type: "bearer", user }) as never;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  localStorage.clear();
  signInStored();
  localStorage.setItem("tavolo.last-user", String(USER.id));
  server = new FakeAppliance();
});

afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("the query client", () => {
  it("keeps unwatched answers as long as the persisted cache does", async () => {
    const { queryClient, QUERY_CACHE_MAX_AGE_MS } = await load();
    expect(QUERY_CACHE_MAX_AGE_MS).toBe(24 * 60 * 60 * 1000);
    expect(queryClient.getDefaultOptions().queries?.gcTime).toBe(QUERY_CACHE_MAX_AGE_MS);
  });

  it("survives a logout and a login of the same waiter", async () => {
    const { queryClient, persister, signOut, signIn } = await load();
    signOut();
    signIn(pairFor(USER));
    expect(queryClient.getQueryData(["tables"])).toEqual([{ id: 1 }]);
    expect(persister.removeClient).not.toHaveBeenCalled();
  });

  it("is cleared, with its persisted copy, when another waiter signs in", async () => {
    const { queryClient, persister, signOut, signIn } = await load();
    signOut();
    signIn(pairFor({ ...USER, id: 2, username: "nikos" }));
    expect(queryClient.getQueryData(["tables"])).toBeUndefined();
    expect(persister.removeClient).toHaveBeenCalledOnce();
  });

  it("is cleared, with its persisted copy, when the appliance ends the session", async () => {
    signInStored("expired");
    server.refreshWorks = false;
    const { queryClient, persister, api, sessionStore } = await load();
    const response = await api.fetch(new Request(new URL("/api/tables/", location.origin)));
    await settle();
    expect(response.status).toBe(401);
    expect(sessionStore.get()).toBeNull();
    expect(queryClient.getQueryData(["tables"])).toBeUndefined();
    expect(persister.removeClient).toHaveBeenCalledOnce();
  });
});

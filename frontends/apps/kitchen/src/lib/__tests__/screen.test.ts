import { beforeEach, describe, expect, it, vi } from "vitest";

describe("pairing by link", () => {
  beforeEach(() => {
    vi.resetModules();
    localStorage.clear();
  });

  it("stores the token and takes it out of the address bar, keeping the rest", async () => {
    window.history.replaceState(null, "", "/kitchen/?pair=kds_abc-123&lang=en#top");
    const screen = await import("../screen");
    expect(screen.pairFromLink()).toBe(true);
    expect(localStorage.getItem(screen.SCREEN_TOKEN_KEY)).toBe("kds_abc-123");
    expect(screen.pairingStore.get()).toEqual({ token: "kds_abc-123", notice: null });
    expect(`${location.pathname}${location.search}${location.hash}`).toBe("/kitchen/?lang=en#top");
  });

  it("ignores something that is not a screen token, but still clears it from the address bar", async () => {
    window.history.replaceState(null, "", "/kitchen/?pair=eyJhbGciOi.staff-token");
    const screen = await import("../screen");
    expect(screen.pairFromLink()).toBe(false);
    expect(localStorage.length).toBe(0);
    expect(location.search).toBe("");
  });

  it("a refused token (the client clears its store) unpairs the screen with the reason", async () => {
    localStorage.setItem("tavolo.kitchen.screen-token", "kds_old");
    const screen = await import("../screen");
    expect(screen.screenTokens.access).toBe("kds_old");
    expect(screen.screenTokens.refresh).toBeNull();
    screen.screenTokens.clear();
    expect(screen.pairingStore.get()).toEqual({ token: null, notice: "revoked" });
    expect(localStorage.length).toBe(0);
  });
});

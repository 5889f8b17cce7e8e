// The screen's pairing: one long-lived `kds_…` token in localStorage and nothing else. No member of staff is ever
// signed in on the wall: the token is the screen's own credential, revoked by a manager from anywhere.
import type { TokenStore } from "@tavolo/api";
import { createStore, useStore } from "@tavolo/ui";

/** Where the token lives. The waiter app shares this origin (and localStorage): its keys are different. */
export const SCREEN_TOKEN_KEY = "tavolo.kitchen.screen-token";
const TOKEN_PREFIX = "kds_";

/** Why the pairing screen is shown: the appliance refused the token, or someone unpaired it here. */
export type UnpairReason = "revoked" | "unpaired";

export interface Pairing {
  token: string | null;
  notice: UnpairReason | null;
}

function readToken(): string | null {
  try {
    const token = localStorage.getItem(SCREEN_TOKEN_KEY);
    return token?.startsWith(TOKEN_PREFIX) ? token : null;
  } catch {
    return null;
  }
}

export const pairingStore = createStore<Pairing>({ token: readToken(), notice: null });

export function isScreenToken(value: string | null | undefined): value is string {
  return typeof value === "string" && value.startsWith(TOKEN_PREFIX) && value.length > TOKEN_PREFIX.length;
}

export function pair(token: string): void {
  try {
    localStorage.setItem(SCREEN_TOKEN_KEY, token);
  } catch {
    // Storage refused (private mode, full): the screen works until it is reloaded.
  }
  pairingStore.set({ token, notice: null });
}

export function unpair(reason: UnpairReason): void {
  try {
    localStorage.removeItem(SCREEN_TOKEN_KEY);
  } catch {
    // Nothing stored to lose.
  }
  pairingStore.set({ token: null, notice: reason });
}

/**
 * `/kitchen/?pair=kds_…` (the link a manager opens on the screen, or its QR code): keep the token and take it
 * out of the address bar at once, so it is not left in the history or on a photo of the screen.
 */
export function pairFromLink(location: Location = window.location, history: History = window.history): boolean {
  const url = new URL(location.href);
  const token = url.searchParams.get("pair");
  if (token === null) return false;
  url.searchParams.delete("pair");
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
  if (!isScreenToken(token)) return false;
  pair(token);
  return true;
}

/**
 * The client's token store: the screen token is the bearer and is never renewed. With no refresh token, a 401
 * makes the client clear the store, which is exactly "this screen was unpaired".
 */
export const screenTokens: TokenStore = {
  get access() {
    return pairingStore.get().token;
  },
  get refresh() {
    return null;
  },
  save() {
    // A screen never receives a token pair.
  },
  clear() {
    if (pairingStore.get().token !== null) unpair("revoked");
  },
};

export function usePairing(): Pairing {
  return useStore(pairingStore);
}

// Unpaired (or paired) in another tab of this browser: follow it.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== null && event.key !== SCREEN_TOKEN_KEY) return;
    const token = readToken();
    if (token === pairingStore.get().token) return;
    if (token === null) unpair("unpaired");
    else pair(token);
  });
}

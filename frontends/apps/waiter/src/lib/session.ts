// Who is logged in on this phone. Tokens and the user survive a reload so a waiter is not logged out by a
// Wi-Fi drop or by the phone killing the tab; logging out (or a revoked refresh token) clears them. Every tab
// of the app shares one session: a login or logout in one is seen in the others (the `storage` event).
import { TOKEN_STORAGE_KEYS, localTokenStore, type TokenPair, type User } from "@tavolo/api";
import { createStore, useStore } from "./store";

const USER_KEY = "tavolo.user";
// Whose data the cached queries hold; kept across logouts, so only another waiter's login clears them.
const LAST_USER_KEY = "tavolo.last-user";

export const tokens = localTokenStore();

function storedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw && tokens.refresh ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

function storedLastUserId(): number | null {
  try {
    const id = Number(localStorage.getItem(LAST_USER_KEY));
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<User | null>(storedUser());

const resetListeners = new Set<() => void>();

/**
 * Called when what this phone cached must go: the session was taken away (refresh refused, no tokens left) or
 * another user signed in. main.tsx clears the query cache and its persisted copy here.
 */
export function onSessionReset(listener: () => void): () => void {
  resetListeners.add(listener);
  return () => resetListeners.delete(listener);
}

function reset(): void {
  for (const listener of resetListeners) {
    try {
      listener();
    } catch (error) {
      console.error("session reset listener failed", error);
    }
  }
}

let lastUserId = storedLastUserId();
sessionStore.subscribe(() => {
  const user = sessionStore.get();
  if (user === null || user.id === lastUserId) return;
  lastUserId = user.id;
  try {
    localStorage.setItem(LAST_USER_KEY, String(user.id));
  } catch {
    // Worst case the next login clears the cache once more.
  }
  reset();
});

export function signIn(pair: TokenPair): void {
  tokens.save(pair);
  localStorage.setItem(USER_KEY, JSON.stringify(pair.user));
  sessionStore.set(pair.user);
}

export function signOut(): void {
  tokens.clear();
  localStorage.removeItem(USER_KEY);
  sessionStore.set(null);
}

/** The appliance ended the session (the client could not renew it): sign out and forget what was cached. */
export function loseSession(): void {
  const wasSignedIn = sessionStore.get() !== null;
  signOut();
  if (wasSignedIn) reset();
}

export function useUser(): User | null {
  return useStore(sessionStore);
}

// Another tab signed in, out, or renewed the tokens: follow it (the same user keeps the same object).
if (typeof window !== "undefined") {
  const watched = new Set<string | null>([null, USER_KEY, TOKEN_STORAGE_KEYS.refresh]);
  window.addEventListener("storage", (event) => {
    if (!watched.has(event.key)) return;
    const user = storedUser();
    const current = sessionStore.get();
    if (user !== null && current !== null && JSON.stringify(user) === JSON.stringify(current)) return;
    sessionStore.set(user);
  });
}

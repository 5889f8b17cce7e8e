// Who is signed in on this tablet. Kept under its own storage keys ("manager."), so a manager's session never
// replaces a waiter's session on a device that runs both apps, and survives a reload. Every tab of the
// dashboard follows a login or logout made in another (the `storage` event).
import { TOKEN_STORAGE_KEYS, localTokenStore, type TokenPair, type User } from "@tavolo/api";
import { createStore, useStore } from "@tavolo/ui";

const PREFIX = "manager.";
const USER_KEY = `${PREFIX}tavolo.user`;

export const tokens = localTokenStore(globalThis.localStorage, PREFIX);

function storedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    const user = raw && tokens.refresh ? (JSON.parse(raw) as User) : null;
    return user?.role === "manager" ? user : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<User | null>(storedUser());

const endListeners = new Set<() => void>();

/** Called when the session ends (logout, or the appliance refused to renew it): main.tsx drops cached data. */
export function onSessionEnd(listener: () => void): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

export function signIn(pair: TokenPair): void {
  tokens.save(pair);
  localStorage.setItem(USER_KEY, JSON.stringify(pair.user));
  sessionStore.set(pair.user);
}

export function signOut(): void {
  const wasSignedIn = sessionStore.get() !== null;
  tokens.clear();
  localStorage.removeItem(USER_KEY);
  sessionStore.set(null);
  if (wasSignedIn) for (const listener of endListeners) listener();
}

export function useUser(): User | null {
  return useStore(sessionStore);
}

if (typeof window !== "undefined") {
  const watched = new Set<string | null>([null, USER_KEY, PREFIX + TOKEN_STORAGE_KEYS.refresh]);
  window.addEventListener("storage", (event) => {
    if (!watched.has(event.key)) return;
    const user = storedUser();
    const current = sessionStore.get();
    if (user !== null && current !== null && JSON.stringify(user) === JSON.stringify(current)) return;
    sessionStore.set(user);
  });
}

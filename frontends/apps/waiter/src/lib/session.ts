// Who is logged in on this phone. Tokens and the user survive a reload so a waiter is not logged out by a
// Wi-Fi drop or by the phone killing the tab; logging out (or a revoked refresh token) clears them.
import { localTokenStore, type TokenPair, type User } from "@tavolo/api";
import { createStore, useStore } from "./store";

const USER_KEY = "tavolo.user";

export const tokens = localTokenStore();

function storedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw && tokens.refresh ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<User | null>(storedUser());

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

export function useUser(): User | null {
  return useStore(sessionStore);
}

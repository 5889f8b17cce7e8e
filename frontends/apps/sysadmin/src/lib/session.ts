// Whether a sysadmin is signed in. The token lives in sessionStorage (see @tavolo/api's sessionTokenStore): it
// survives a reload but not closing the tab. The cloud has no refresh token, so an expired or revoked token
// sends the sysadmin back to the login, with a word on why.
import { sessionTokenStore, type CloudToken } from "@tavolo/api";
import { createStore, useStore } from "@tavolo/ui";

export interface Session {
  signedIn: boolean;
  /** Why the login shows: "expired" when the cloud refused the token (not after a deliberate logout). */
  notice: "expired" | null;
}

export const tokens = sessionTokenStore();

export const sessionStore = createStore<Session>({ signedIn: tokens.access !== null, notice: null });

const endListeners = new Set<() => void>();

/** Called whenever a session ends; main.tsx drops the cached answers, which belong to that session. */
export function onSessionEnd(listener: () => void): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

function ended(notice: Session["notice"]): void {
  tokens.clear();
  sessionStore.set({ signedIn: false, notice });
  for (const listener of endListeners) listener();
}

export function signIn(token: CloudToken): void {
  tokens.save(token);
  sessionStore.set({ signedIn: true, notice: null });
}

export function signOut(): void {
  ended(null);
}

/** The cloud refused the token (the client already cleared it). */
export function loseSession(): void {
  if (sessionStore.get().signedIn) ended("expired");
}

export function useSession(): Session {
  return useStore(sessionStore);
}

// A tiny external store for app state that lives outside React (a session, the connection, an outbox, a
// kitchen screen's pairing), read with useSyncExternalStore so every component sees one value.
import { useSyncExternalStore } from "react";

export interface Store<T> {
  get(): T;
  /** A value, or an update from the current one; setting an equal value (Object.is) notifies no one. */
  set(next: T | ((prev: T) => T)): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const resolved = typeof next === "function" ? (next as (prev: T) => T)(value) : next;
      if (Object.is(resolved, value)) return;
      value = resolved;
      // A copy: a listener that subscribes another one while it runs must not be called again in this round.
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

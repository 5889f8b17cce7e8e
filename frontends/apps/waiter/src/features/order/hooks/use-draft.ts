// One persisted draft store per order ref, shared by every component of the order screen.
import { useMemo } from "react";
import { createStore, useStore, type Store } from "../../../lib/store";
import { parseStoredDraft, type DraftLine } from "../model/draft";

const PREFIX = "tavolo.draft.";
const stores = new Map<string, Store<DraftLine[]>>();

function storageKey(ref: string): string {
  return PREFIX + ref;
}

function read(ref: string): DraftLine[] {
  try {
    return parseStoredDraft(localStorage.getItem(storageKey(ref)));
  } catch {
    return [];
  }
}

function write(ref: string, lines: DraftLine[]): void {
  try {
    if (lines.length === 0) localStorage.removeItem(storageKey(ref));
    else localStorage.setItem(storageKey(ref), JSON.stringify(lines));
  } catch {
    // Storage full or blocked (private mode): the draft still lives in memory for this session.
  }
}

export function draftStore(ref: string): Store<DraftLine[]> {
  let store = stores.get(ref);
  if (!store) {
    const created = createStore<DraftLine[]>(read(ref));
    created.subscribe(() => write(ref, created.get()));
    stores.set(ref, created);
    store = created;
  }
  return store;
}

/**
 * An order opened offline ("tmp-…") gets its real id once the open is replayed and the screen moves to
 * /order/<id>: the draft moves with it (appended, should the new ref already hold lines).
 */
export function moveDraft(fromRef: string, toRef: string): void {
  if (fromRef === toRef) return;
  const from = draftStore(fromRef);
  const lines = from.get();
  if (lines.length === 0) return;
  draftStore(toRef).set((existing) => [...existing, ...lines]);
  from.set([]);
}

export function useDraft(ref: string): [DraftLine[], Store<DraftLine[]>] {
  const store = useMemo(() => draftStore(ref), [ref]);
  return [useStore(store), store];
}

/** For tests: forget the in-memory stores (localStorage is cleared by the test). */
export function resetDraftStores(): void {
  stores.clear();
}

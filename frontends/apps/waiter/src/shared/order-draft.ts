// The draft of an order's next round, kept on the phone per order ref. It lives here rather than in the order
// feature because the payment screen must see it too: an order must not be closed over items never sent.
import type { OrderItemCreate } from "@tavolo/api";
import { useMemo } from "react";
import { createStore, useStore, type Store } from "../lib/store";

export interface DraftLine {
  /** Local identity of the line (edits, React keys); never sent. */
  key: string;
  item: OrderItemCreate;
  /** Why the appliance refused this line on the last send (e.g. the product became unavailable). */
  problem?: string;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/** A clean item: sorted id lists and a null blank note, so equal lines compare equal. */
export function normalizeItem(item: OrderItemCreate): OrderItemCreate {
  const sorted = (ids: number[] | undefined) => [...new Set(ids ?? [])].sort((a, b) => a - b);
  const note = item.note?.trim();
  return {
    product_id: item.product_id,
    quantity: clamp(Math.trunc(item.quantity), 1, 99),
    option_ids: sorted(item.option_ids),
    removed_ingredient_ids: sorted(item.removed_ingredient_ids),
    choice_ids: sorted(item.choice_ids),
    note: note ? note.slice(0, 200) : null,
    seat: item.seat ?? null,
    course: clamp(Math.trunc(item.course), 1, 9),
  };
}

export function draftQuantity(lines: readonly DraftLine[]): number {
  return lines.reduce((sum, line) => sum + line.item.quantity, 0);
}

export function parseStoredDraft(raw: string | null): DraftLine[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.flatMap((entry: unknown) => {
      const line = entry as Partial<DraftLine> | null;
      const item = line?.item;
      if (typeof line?.key !== "string" || typeof item?.product_id !== "number" || typeof item.quantity !== "number") {
        return [];
      }
      return [{ key: line.key, item: normalizeItem(item), ...(line.problem ? { problem: line.problem } : {}) }];
    });
  } catch {
    return [];
  }
}

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

/** One persisted store per order ref, shared by every screen that shows that order. */
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

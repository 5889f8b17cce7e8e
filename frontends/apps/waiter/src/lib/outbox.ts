// The write outbox: every order write (open, send items, pay, close) goes through `submit`, which stores it
// with its idempotency key before sending, so a Wi-Fi drop never loses or duplicates it.
//
// CONTRACT (features code against this; the offline work fills in the internals):
// - submit() persists the entry (localStorage), then sends it when no earlier entry is waiting.
//   * 2xx            → entry removed, resolves { status: "done", data }.
//   * appliance unreachable / timeout / 5xx → entry stays queued, resolves { status: "queued", entry };
//     it is replayed later in order with the same Idempotency-Key (a replay returns the first response).
//   * 4xx            → entry removed, rejects with the ApiError (the waiter sees the reason at once).
//   When earlier entries are still waiting, or the appliance is known to be unreachable, submit() only appends
//   and resolves { status: "queued" } at once: nothing overtakes what was queued before it.
// - While replaying, a 4xx marks the entry "failed" (kept for the waiter to see and discard) and holds later
//   entries of the same order; entries of other orders go on.
// - An order opened while offline gets orderRef "tmp-<key>"; later entries for it put "{order}" in their path
//   and it is replaced with the real id once the open has been replayed. resolveOrderRef() maps a ref to the
//   real id (or null while unknown). submit() sets that ref itself for kind "open" (whatever the request
//   says): read it from the queued entry (`result.entry.orderRef`) to route to /order/tmp-….
//   If the open fails, the entries waiting for its id fail too; discarding the failed open drops them.
// - Every success invalidates the TanStack queries of that order and of the tables (onSettled hook below).
// - Entries are replayed only while the waiter who queued them is signed in: a 401 that cannot be refreshed
//   keeps them queued until the next login.
import { ApiError, NetworkError, errorFrom, newIdempotencyKey } from "@tavolo/api";
import { api } from "./api";
import { connectionStore } from "./connection";
import { sessionStore } from "./session";
import { createStore, useStore } from "./store";

export type OutboxKind = "open" | "items" | "pay" | "close";

export interface OutboxEntry {
  /** Also the Idempotency-Key. */
  id: string;
  kind: OutboxKind;
  /** "123" for a known order, "tmp-<id of the open entry>" for one opened offline. */
  orderRef: string;
  tableId: number;
  /** API path; "{order}" stands for the order's id when it is not known yet. */
  path: string;
  body: unknown;
  /** What the waiter sees in the queue: "Send 3 items · T4". */
  label: string;
  createdAt: number;
  state: "queued" | "sending" | "failed";
  attempts: number;
  error?: { status: number; code: string; detail: string };
  /**
   * The user who queued it. The appliance checks order ownership and ties an idempotency key to its caller,
   * so another waiter signing in on this phone must not send it.
   */
  userId?: number;
}

export interface SubmitRequest {
  kind: OutboxKind;
  orderRef: string;
  tableId: number;
  path: string;
  body: unknown;
  label: string;
}

export type SubmitResult<T> = { status: "done"; data: T } | { status: "queued"; entry: OutboxEntry };

type EntryError = NonNullable<OutboxEntry["error"]>;

const ENTRIES_KEY = "tavolo.outbox";
const ORDER_IDS_KEY = "tavolo.outbox.orders";
// tmp refs stay resolvable for the screens still showing them; a few hundred covers any shift.
const MAX_ORDER_IDS = 300;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

const ORDER_NOT_OPENED: EntryError = {
  status: 409,
  code: "ORDER_NOT_OPENED",
  detail: "Not sent: the order it belongs to could not be opened.",
};

function readStored(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): keep working from memory rather than lose the write now.
  }
}

function loadEntries(): OutboxEntry[] {
  const stored = readStored(ENTRIES_KEY);
  if (!Array.isArray(stored)) return [];
  return (stored as OutboxEntry[])
    .filter((entry) => typeof entry?.id === "string" && typeof entry.path === "string")
    // The app died mid-request: whether it arrived is unknown, and the same key makes resending safe.
    .map((entry) => (entry.state === "sending" ? { ...entry, state: "queued" as const } : entry));
}

function loadOrderIds(): Record<string, number> {
  const stored = readStored(ORDER_IDS_KEY);
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return {};
  return Object.fromEntries(Object.entries(stored).filter(([, id]) => typeof id === "number")) as Record<
    string,
    number
  >;
}

export const outboxStore = createStore<OutboxEntry[]>(loadEntries());
const orderIds = createStore<Record<string, number>>(loadOrderIds());
const settledListeners = new Set<(entry: OutboxEntry, data: unknown) => void>();
// submit() calls waiting for the first answer to their entry (only the one sent right away has one).
const waiting = new Map<string, { resolve: (result: SubmitResult<unknown>) => void; reject: (error: unknown) => void }>();

outboxStore.subscribe(() => writeStored(ENTRIES_KEY, outboxStore.get()));
orderIds.subscribe(() => writeStored(ORDER_IDS_KEY, orderIds.get()));

/** Called after each entry the appliance accepted (features invalidate their queries here). */
export function onSettled(listener: (entry: OutboxEntry, data: unknown) => void): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

export function resolveOrderRef(ref: string): number | null {
  if (/^\d+$/.test(ref)) return Number(ref);
  return orderIds.get()[ref] ?? null;
}

export function useOrderIdFor(ref: string): number | null {
  const ids = useStore(orderIds);
  if (/^\d+$/.test(ref)) return Number(ref);
  return ids[ref] ?? null;
}

export function useOutbox(): OutboxEntry[] {
  return useStore(outboxStore);
}

function rememberOrderId(ref: string, id: number): void {
  orderIds.set((ids) => {
    const next = { ...ids, [ref]: id };
    const refs = Object.keys(next);
    // Keys keep insertion order (they are not integers), so the oldest go first.
    for (const old of refs.slice(0, Math.max(0, refs.length - MAX_ORDER_IDS))) delete next[old];
    return next;
  });
}

function currentUserId(): number | null {
  return sessionStore.get()?.id ?? null;
}

function patch(id: string, changes: Partial<OutboxEntry>): OutboxEntry | undefined {
  outboxStore.set((entries) => entries.map((entry) => (entry.id === id ? { ...entry, ...changes } : entry)));
  return outboxStore.get().find((entry) => entry.id === id);
}

function remove(id: string): void {
  outboxStore.set((entries) => entries.filter((entry) => entry.id !== id));
}

/** Why a queued entry cannot go out now (the outbox panel says so). */
export type BlockReason = "signed-out" | "other-waiter" | "after-failed";

type Plan = { entry: OutboxEntry } & ({ path: string } | { error: EntryError } | { blocked: BlockReason } | { inLine: true });

/** What happens to each entry that has not failed, in queue order. */
function plan(entries: OutboxEntry[], me: number | null): Plan[] {
  const blockedRefs = new Map<string, BlockReason>();
  const waitingForOpen = new Set<string>();
  const plans: Plan[] = [];
  for (const entry of entries) {
    const ref = entry.orderRef;
    if (entry.state === "failed") {
      if (!blockedRefs.has(ref)) blockedRefs.set(ref, "after-failed");
      continue;
    }
    if (me === null) {
      plans.push({ entry, blocked: "signed-out" });
      continue;
    }
    if (entry.userId !== undefined && entry.userId !== me) {
      if (!blockedRefs.has(ref)) blockedRefs.set(ref, "other-waiter");
      plans.push({ entry, blocked: "other-waiter" });
      continue;
    }
    let path = entry.path;
    if (path.includes("{order}")) {
      const id = resolveOrderRef(ref);
      if (id === null) {
        const openPending = entries.some(
          (other) => other.kind === "open" && other.orderRef === ref && other.state !== "failed",
        );
        if (!openPending) {
          plans.push({ entry, error: ORDER_NOT_OPENED });
        } else {
          const reason = blockedRefs.get(ref);
          plans.push(reason ? { entry, blocked: reason } : { entry, inLine: true });
          waitingForOpen.add(ref);
        }
        continue;
      }
      path = path.replaceAll("{order}", String(id));
    }
    const reason = blockedRefs.get(ref);
    if (reason) plans.push({ entry, blocked: reason });
    else if (waitingForOpen.has(ref)) plans.push({ entry, inLine: true });
    else plans.push({ entry, path });
  }
  return plans;
}

type Step = { entry: OutboxEntry; path: string } | { entry: OutboxEntry; error: EntryError };

/** What the sender does next: the first entry that may go, in queue order, or one to mark failed. */
function nextStep(entries: OutboxEntry[], me: number | null): Step | null {
  const step = plan(entries, me).find((item) => "path" in item || "error" in item);
  return (step as Step | undefined) ?? null;
}

/** Queued entries that will not be sent until something changes (a discard, a login), and why. */
export function blockedEntries(entries: OutboxEntry[]): Map<string, BlockReason> {
  const blocked = new Map<string, BlockReason>();
  for (const item of plan(entries, currentUserId())) {
    if ("blocked" in item) blocked.set(item.entry.id, item.blocked);
  }
  return blocked;
}

function explain(entry: OutboxEntry, error: ApiError): EntryError {
  if (entry.kind === "open" && error.code === "TABLE_HAS_OPEN_ORDER") {
    return {
      status: error.status,
      code: error.code,
      detail:
        "Someone else opened this table while your order was waiting. It was not opened, and its queued " +
        "items were not sent: check the table and enter them again.",
    };
  }
  return { status: error.status, code: error.code, detail: error.message };
}

function fail(entry: OutboxEntry, error: EntryError, refusal?: ApiError): void {
  const waiter = waiting.get(entry.id);
  if (waiter) {
    // Sent right after submit(): the screen that called it shows the appliance's own reason, and nothing
    // stays behind.
    waiting.delete(entry.id);
    remove(entry.id);
    waiter.reject(refusal ?? new ApiError(error.status, error.code, error.detail));
    return;
  }
  patch(entry.id, { state: "failed", error });
}

function requeue(entry: OutboxEntry): void {
  const queued = patch(entry.id, { state: "queued" }) ?? { ...entry, state: "queued" as const };
  const waiter = waiting.get(entry.id);
  waiting.delete(entry.id);
  waiter?.resolve({ status: "queued", entry: queued });
}

function succeed(entry: OutboxEntry, data: unknown): void {
  if (entry.kind === "open") {
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id === "number") rememberOrderId(entry.orderRef, id);
  }
  remove(entry.id);
  for (const listener of settledListeners) {
    try {
      listener(entry, data);
    } catch (error) {
      console.error("outbox onSettled listener failed", error);
    }
  }
  const waiter = waiting.get(entry.id);
  waiting.delete(entry.id);
  waiter?.resolve({ status: "done", data });
}

type Outcome = "next" | "retry" | "wait-for-login";

async function send(entry: OutboxEntry, path: string): Promise<Outcome> {
  patch(entry.id, { state: "sending", attempts: entry.attempts + 1 });
  let response: Response;
  let data: unknown = null;
  try {
    response = await api.fetch(
      new Request(new URL(path, location.origin), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": entry.id },
        body: JSON.stringify(entry.body),
      }),
    );
    // A body cut off by a Wi-Fi drop is a lost response too: the replay gets the stored one (and the new id).
    if (response.ok && response.status !== 204) data = await response.json();
  } catch (error) {
    if (!(error instanceof NetworkError)) console.warn("outbox send failed, will retry", error);
    requeue(entry);
    return "retry";
  }
  if (response.ok) {
    succeed(entry, data);
    return "next";
  }
  if (response.status === 401) {
    // The client already tried to refresh; without a session the entry waits for the next login.
    requeue(entry);
    return currentUserId() === null ? "wait-for-login" : "retry";
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    requeue(entry);
    return "retry";
  }
  const refusal = await errorFrom(response);
  fail(entry, explain(entry, refusal), refusal);
  return "next";
}

// One sender at a time: `pumping` guards the loop, `retryTimer` is the backoff wait between attempts.
let pumping = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;

function backoff(): number {
  return Math.min(BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

function scheduleRetry(): void {
  retryTimer ??= setTimeout(() => {
    retryTimer = null;
    void pump();
  }, backoff());
}

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      const step = nextStep(outboxStore.get(), currentUserId());
      if (step === null) return;
      if ("error" in step) {
        fail(step.entry, step.error);
        continue;
      }
      const outcome = await send(step.entry, step.path);
      if (outcome === "wait-for-login") return;
      if (outcome === "retry") {
        failures += 1;
        scheduleRetry();
        return;
      }
      failures = 0;
    }
  } finally {
    pumping = false;
  }
}

/** Start sending if nothing is: right away when reachable, else after the backoff (the health check may win). */
function wake(): void {
  if (pumping || retryTimer !== null) return;
  if (connectionStore.get().reachable) void pump();
  else scheduleRetry();
}

/** Send what is queued now instead of waiting for the backoff. */
export function retryNow(): void {
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  failures = 0;
  void pump();
}

export async function submit<T>(request: SubmitRequest): Promise<SubmitResult<T>> {
  const id = newIdempotencyKey();
  const entry: OutboxEntry = {
    ...request,
    orderRef: request.kind === "open" ? `tmp-${id}` : request.orderRef,
    id,
    createdAt: Date.now(),
    state: "queued",
    attempts: 0,
    userId: currentUserId() ?? undefined,
  };
  // Stored before anything is sent: from here on a crash, a reload or a dead battery cannot lose it.
  outboxStore.set((entries) => [...entries, entry]);
  const step = nextStep(outboxStore.get(), currentUserId());
  const sendsNow =
    step?.entry.id === id && !pumping && retryTimer === null && connectionStore.get().reachable;
  if (!sendsNow) {
    wake();
    return { status: "queued", entry };
  }
  const result = new Promise<SubmitResult<unknown>>((resolve, reject) => waiting.set(id, { resolve, reject }));
  void pump();
  return result as Promise<SubmitResult<T>>;
}

/**
 * Drop an entry the waiter gave up on (meant for failed ones; one being sent stays). Dropping a failed open
 * also drops the writes waiting for that order's id: they can never be sent.
 */
export function discard(id: string): void {
  const target = outboxStore.get().find((entry) => entry.id === id);
  if (!target || target.state === "sending") return;
  const orphans = target.kind === "open" && resolveOrderRef(target.orderRef) === null;
  outboxStore.set((entries) =>
    entries.filter(
      (entry) =>
        entry.id !== id && !(orphans && entry.orderRef === target.orderRef && entry.state !== "sending"),
    ),
  );
  // A failed entry held the rest of its order.
  wake();
}

// Back in reach, or a waiter signed in again: send at once rather than at the end of a backoff.
connectionStore.subscribe(() => {
  if (connectionStore.get().reachable) retryNow();
});
let signedIn = currentUserId();
sessionStore.subscribe(() => {
  const user = currentUserId();
  if (user === signedIn) return;
  signedIn = user;
  if (user !== null) retryNow();
});

// Entries left from before a reload or an app restart go out once the app has started.
if (outboxStore.get().length > 0) setTimeout(wake, 0);

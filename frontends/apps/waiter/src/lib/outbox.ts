// The write outbox: every order write (open, send items, fire a course, pay, close) goes through `submit`, which
// stores it with its idempotency key before sending, so a Wi-Fi drop never loses or duplicates it.
//
// CONTRACT (features code against this; the offline work fills in the internals):
// - submit(request, { onPersisted }) stores the entry (localStorage), then sends it when no earlier entry of
//   the same order is waiting.
//   * onPersisted(entry) is called synchronously right after the entry is stored and before the first send:
//     from then on the write cannot be lost, so drop the draft lines there.
//   * Storing fails (storage full or disabled) → rejects with OutboxStorageError (an ApiError, code
//     "OUTBOX_STORAGE_FULL"), onPersisted is not called and nothing is sent: keep the draft.
//   * 2xx            → entry removed, resolves { status: "done", data }.
//   * appliance unreachable / timeout / 5xx → entry stays queued, resolves { status: "queued", entry };
//     it is replayed later with the same Idempotency-Key (a replay returns the first response).
//   * a 4xx whose code says the change is already in place (ALREADY_DONE: a fire whose course another phone,
//     or an earlier tap, fired meanwhile) counts as a 2xx without data: resolves { status: "done", data: null }.
//   * 4xx            → entry removed, rejects with the ApiError (the waiter sees the reason at once) — unless
//     later writes of the same order were queued meanwhile: then the entry is kept "failed" (holding them,
//     as during a replay) and submit resolves { status: "queued", entry } with entry.state "failed" and
//     entry.error saying why.
//   When earlier entries of the same order are still waiting, or the appliance is known to be unreachable,
//   submit() only appends and resolves { status: "queued" } at once: nothing overtakes what was queued before
//   it in its order.
// - Order of sending: entries of one order ("chain": the order's id, or its tmp ref until that is known) go
//   strictly one after the other. A chain whose write keeps failing (5xx, or no answer while the appliance
//   otherwise answers) backs off on its own (1 s, 2 s, 4 s … 30 s) while other orders' entries go on. After 8
//   5xx answers the entry is marked "failed" with the server's message (the waiter may discard it).
// - While replaying, a 4xx marks the entry "failed" (kept for the waiter to see and discard) and holds later
//   entries of the same order; entries of other orders go on.
// - A refusal because of the license (402/423 with a code of LICENSE_REFUSALS: new orders and items paused,
//   settling always allowed) is such a failure, said in words that name the license, and it is never retried
//   by itself. It stays on the phone: sendAgain(id) queues it again, with its key, once the license is fixed.
//   The writes waiting for the id of an open refused so are held behind it, not failed, so they go with it.
// - An order opened while offline gets orderRef "tmp-<key>"; later entries for it put "{order}" in their path
//   and it is replaced with the real id once the open has been replayed. resolveOrderRef() maps a ref to the
//   real id (or null while unknown). submit() sets that ref itself for kind "open" (whatever the request
//   says): read it from the queued entry (`result.entry.orderRef`) to route to /order/tmp-….
//   If the open fails, the entries waiting for its id fail too; discarding the failed open drops them.
// - Every success invalidates the TanStack queries of that order and of the tables (onSettled hook below).
// - Entries are replayed only while the waiter who queued them is signed in: a 401 that cannot be refreshed
//   keeps them queued until the next login.
// - Several tabs share one queue: each change re-reads localStorage first (no tab erases another's entries),
//   the `storage` event keeps every tab's view current, and with navigator.locks only one tab sends at a time.
import { ApiError, NetworkError, errorFrom, newIdempotencyKey } from "@tavolo/api";
import { api } from "./api";
import { checkConnection, connectionStore } from "./connection";
import { sessionStore } from "./session";
import { readStored, writeStored } from "./storage";
import { createStore, useStore } from "./store";

export type OutboxKind = "open" | "items" | "fire" | "pay" | "close";

/**
 * Refusals that mean the write's effect is already there, per kind. A replayed fire normally gets its first
 * answer back (same key), but a second tap queued offline, or a course fired on another phone meanwhile, is
 * answered NOTHING_TO_FIRE: the course is with the kitchen, which is all the waiter asked for.
 */
const ALREADY_DONE: Partial<Record<OutboxKind, readonly string[]>> = {
  fire: ["NOTHING_TO_FIRE"],
};

/**
 * The appliance's refusals of new orders and new items while its license is restricted (402) or locked (423).
 * Nothing is wrong with the write itself: it can go once the license is fixed.
 */
export const LICENSE_REFUSALS: ReadonlySet<string> = new Set([
  "LICENSE_EXPIRED",
  "LEASE_EXPIRED",
  "CLOCK_SUSPECT",
  "TRIAL_ENDED",
  "LICENSE_LOCKED",
]);

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
  /** 5xx answers so far: after MAX_SERVER_ERRORS the entry fails instead of holding its order for ever. */
  serverErrors?: number;
}

export interface SubmitRequest {
  kind: OutboxKind;
  orderRef: string;
  tableId: number;
  path: string;
  body: unknown;
  label: string;
}

export interface SubmitOptions {
  /**
   * Called synchronously once the entry is stored, before anything is sent: from here on the write cannot be
   * lost, so the screen may drop the draft lines it came from. Not called when storing failed.
   */
  onPersisted?: (entry: OutboxEntry) => void;
}

export type SubmitResult<T> = { status: "done"; data: T } | { status: "queued"; entry: OutboxEntry };

/** The phone could not store the write, so it was neither queued nor sent: the draft must stay. */
export class OutboxStorageError extends ApiError {
  constructor() {
    super(
      507,
      "OUTBOX_STORAGE_FULL",
      "This phone could not save the change (its storage is full), so it was not sent. Try again; if it keeps " +
        "happening, close other tabs or free some space.",
    );
    this.name = "OutboxStorageError";
  }
}

type EntryError = NonNullable<OutboxEntry["error"]>;

const ENTRIES_KEY = "tavolo.outbox";
const ORDER_IDS_KEY = "tavolo.outbox.orders";
// One sender across the tabs of this app (navigator.locks is shared by every tab of the origin).
const SEND_LOCK = "tavolo-outbox";
// tmp refs stay resolvable for the screens still showing them; a few hundred covers any shift.
const MAX_ORDER_IDS = 300;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** An appliance that answers 5xx this often to one write will not take it: let the waiter decide. */
export const MAX_SERVER_ERRORS = 8;

const ORDER_NOT_OPENED: EntryError = {
  status: 409,
  code: "ORDER_NOT_OPENED",
  detail: "Not sent: the order it belongs to could not be opened.",
};

/** A write the appliance refused only because of its license: kept, to send again once that is fixed. */
export function isLicenseRefusal(entry: OutboxEntry): boolean {
  return entry.state === "failed" && entry.error !== undefined && LICENSE_REFUSALS.has(entry.error.code);
}

function parseEntries(stored: unknown): OutboxEntry[] {
  if (!Array.isArray(stored)) return [];
  return (stored as OutboxEntry[]).filter((entry) => typeof entry?.id === "string" && typeof entry.path === "string");
}

function parseOrderIds(stored: unknown): Record<string, number> {
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return {};
  return Object.fromEntries(Object.entries(stored).filter(([, id]) => typeof id === "number")) as Record<
    string,
    number
  >;
}

// navigator.locks exists only in secure contexts (HTTPS, localhost); over http://<appliance> each tab sends on
// its own, which the idempotency keys keep safe (a second send of an entry is answered from the first).
const locks: LockManager | undefined =
  typeof navigator !== "undefined" ? (navigator as { locks?: LockManager }).locks : undefined;

function initialEntries(): OutboxEntry[] {
  const entries = parseEntries(readStored(ENTRIES_KEY));
  // With locks, an entry marked "sending" may be another tab's request in flight: the sender resets stale
  // ones once it holds the lock. Without, it can only be left from a tab that died mid-request: whether it
  // arrived is unknown, and the same key makes resending safe.
  if (locks || !entries.some((entry) => entry.state === "sending")) return entries;
  const recovered = entries.map((entry) => (entry.state === "sending" ? { ...entry, state: "queued" as const } : entry));
  writeStored(ENTRIES_KEY, recovered);
  return recovered;
}

export const outboxStore = createStore<OutboxEntry[]>(initialEntries());
const orderIds = createStore<Record<string, number>>(parseOrderIds(readStored(ORDER_IDS_KEY)));
const settledListeners = new Set<(entry: OutboxEntry, data: unknown) => void>();

interface Waiter {
  entry: OutboxEntry;
  resolve: (result: SubmitResult<unknown>) => void;
  reject: (error: unknown) => void;
}
// submit() calls waiting for the first answer to their entry (only the one sent right away has one).
const waiting = new Map<string, Waiter>();

/** The queue as stored now (another tab may have changed it); this tab's copy when storage cannot be read. */
function storedEntries(): OutboxEntry[] {
  const stored = readStored(ENTRIES_KEY);
  return stored === undefined ? outboxStore.get() : parseEntries(stored);
}

/**
 * Read-modify-write of the stored queue, so an entry another tab stored meanwhile is never erased. Returns
 * whether it was stored; with `mustPersist` an unstored change is not applied at all.
 */
function mutate(change: (entries: OutboxEntry[]) => OutboxEntry[], { mustPersist = false } = {}): boolean {
  const next = change(storedEntries());
  const stored = writeStored(ENTRIES_KEY, next, { makeRoom: true });
  if (stored || !mustPersist) outboxStore.set(next);
  return stored;
}

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

/** Whether the signed-in waiter (`userId`) is the one who queued it; entries from before users were recorded count as theirs. */
export function isOwnEntry(entry: OutboxEntry, userId: number | null): boolean {
  return userId === null || entry.userId === undefined || entry.userId === userId;
}

function rememberOrderId(ref: string, id: number): void {
  const stored = readStored(ORDER_IDS_KEY);
  const ids = stored === undefined ? orderIds.get() : parseOrderIds(stored);
  const next = { ...ids, [ref]: id };
  const refs = Object.keys(next);
  // Keys keep insertion order (they are not integers), so the oldest go first.
  for (const old of refs.slice(0, Math.max(0, refs.length - MAX_ORDER_IDS))) delete next[old];
  writeStored(ORDER_IDS_KEY, next, { makeRoom: true });
  orderIds.set(next);
}

function currentUserId(): number | null {
  return sessionStore.get()?.id ?? null;
}

/** The order an entry belongs to: its id once known, so an order's "tmp-…" and real-id entries are one chain. */
function chainOf(entry: OutboxEntry): string {
  const id = resolveOrderRef(entry.orderRef);
  return id === null ? entry.orderRef : String(id);
}

function patch(id: string, changes: Partial<OutboxEntry>): OutboxEntry | undefined {
  let found = false;
  mutate((entries) =>
    entries.map((entry) => {
      if (entry.id !== id) return entry;
      found = true;
      return { ...entry, ...changes };
    }),
  );
  return found ? outboxStore.get().find((entry) => entry.id === id) : undefined;
}

function remove(id: string): void {
  mutate((entries) => entries.filter((entry) => entry.id !== id));
}

/** Why a queued entry cannot go out now (the outbox panel says so). */
export type BlockReason = "signed-out" | "other-waiter" | "after-failed";

type Plan = { entry: OutboxEntry } & ({ path: string } | { error: EntryError } | { blocked: BlockReason } | { inLine: true });

/** What happens to each entry that has not failed, in queue order. */
function plan(entries: OutboxEntry[], me: number | null): Plan[] {
  const blockedChains = new Map<string, BlockReason>();
  const waitingForOpen = new Set<string>();
  const plans: Plan[] = [];
  for (const entry of entries) {
    const ref = entry.orderRef;
    const chain = chainOf(entry);
    if (entry.state === "failed") {
      if (!blockedChains.has(chain)) blockedChains.set(chain, "after-failed");
      continue;
    }
    if (me === null) {
      plans.push({ entry, blocked: "signed-out" });
      continue;
    }
    if (entry.userId !== undefined && entry.userId !== me) {
      if (!blockedChains.has(chain)) blockedChains.set(chain, "other-waiter");
      plans.push({ entry, blocked: "other-waiter" });
      continue;
    }
    let path = entry.path;
    if (path.includes("{order}")) {
      const id = resolveOrderRef(ref);
      if (id === null) {
        // An open refused for the license may still go (sendAgain): what waits for its id waits on.
        const openPending = entries.some(
          (other) =>
            other.kind === "open" && other.orderRef === ref && (other.state !== "failed" || isLicenseRefusal(other)),
        );
        if (!openPending) {
          plans.push({ entry, error: ORDER_NOT_OPENED });
        } else {
          const reason = blockedChains.get(chain);
          plans.push(reason ? { entry, blocked: reason } : { entry, inLine: true });
          waitingForOpen.add(chain);
        }
        continue;
      }
      path = path.replaceAll("{order}", String(id));
    }
    const reason = blockedChains.get(chain);
    if (reason) plans.push({ entry, blocked: reason });
    else if (waitingForOpen.has(chain)) plans.push({ entry, inLine: true });
    else plans.push({ entry, path });
  }
  return plans;
}

type Step = { entry: OutboxEntry; path: string } | { entry: OutboxEntry; error: EntryError };

// Chains whose last write failed and wait before the next try; other chains go on meanwhile.
const backoffs = new Map<string, { failures: number; until: number }>();

function delay(failures: number): number {
  return Math.min(BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

/** `firstFree`: the first failure is retried at once (a response lost to a Wi-Fi hiccup is the usual case). */
function backOff(chain: string, { firstFree = false } = {}): void {
  const failures = (backoffs.get(chain)?.failures ?? 0) + 1;
  const pause = firstFree ? (failures === 1 ? 0 : delay(failures - 1)) : delay(failures);
  backoffs.set(chain, { failures, until: Date.now() + pause });
}

function backingOff(chain: string, now: number): boolean {
  return (backoffs.get(chain)?.until ?? 0) > now;
}

/**
 * What the sender does next: the first entry that may go, in queue order, skipping chains that back off
 * (the first entry of a chain stands for the whole chain) — or one to mark failed.
 */
function nextStep(entries: OutboxEntry[], me: number | null, now = Date.now()): Step | null {
  const skipped = new Set<string>();
  for (const item of plan(entries, me)) {
    if ("blocked" in item || "inLine" in item) continue;
    if ("error" in item) return item;
    const chain = chainOf(item.entry);
    if (skipped.has(chain) || backingOff(chain, now)) {
      skipped.add(chain);
      continue;
    }
    return item;
  }
  return null;
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
  if (LICENSE_REFUSALS.has(error.code)) {
    return {
      status: error.status,
      code: error.code,
      detail:
        `New orders are paused by the license. ${error.message.trim()} ` +
        "It is kept on this phone: send it again once the license is fixed.",
    };
  }
  return { status: error.status, code: error.code, detail: error.message };
}

/** Later writes of the same order are queued behind this one (they must not go without it). */
function hasFollowers(entry: OutboxEntry): boolean {
  const chain = chainOf(entry);
  const entries = outboxStore.get();
  const index = entries.findIndex((other) => other.id === entry.id);
  return entries.slice(index + 1).some((other) => other.state !== "failed" && chainOf(other) === chain);
}

function fail(entry: OutboxEntry, error: EntryError, refusal?: ApiError): void {
  const waiter = waiting.get(entry.id);
  waiting.delete(entry.id);
  if (waiter && !hasFollowers(entry)) {
    // Sent right after submit() and nothing depends on it: the screen that called it shows the appliance's
    // own reason, and nothing stays behind.
    remove(entry.id);
    waiter.reject(refusal ?? new ApiError(error.status, error.code, error.detail));
    return;
  }
  const failed = patch(entry.id, { state: "failed", error });
  waiter?.resolve({ status: "queued", entry: failed ?? { ...entry, state: "failed", error } });
}

function requeue(entry: OutboxEntry, changes: Partial<OutboxEntry> = {}): void {
  const queued = patch(entry.id, { ...changes, state: "queued" }) ?? { ...entry, ...changes, state: "queued" as const };
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

/** Submit() calls whose entry was not answered in this run: it stays queued (or another tab sent it). */
function settleWaiters(): void {
  for (const [id, waiter] of waiting) {
    waiting.delete(id);
    waiter.resolve({ status: "queued", entry: outboxStore.get().find((entry) => entry.id === id) ?? waiter.entry });
  }
}

// The sender: `pumping` while this tab's loop runs, `lockWanted` while it waits for another tab's sender.
let pumping = false;
let lockWanted = false;
// Waits before the next try: the whole queue (appliance unreachable, session trouble) or a chain's backoff.
let networkTimer: ReturnType<typeof setTimeout> | null = null;
let networkFailures = 0;
let chainTimer: ReturnType<typeof setTimeout> | null = null;

type Outcome = "next" | "stop";

function scheduleNetworkRetry(): void {
  networkTimer ??= setTimeout(() => {
    networkTimer = null;
    pump();
  }, delay(networkFailures));
}

/** Wake up when the first chain that backs off (and still has something to send) may try again. */
function scheduleChainWake(): void {
  if (chainTimer !== null) clearTimeout(chainTimer);
  chainTimer = null;
  const waitingChains = new Set(
    plan(outboxStore.get(), currentUserId())
      .filter((item) => "path" in item)
      .map((item) => chainOf(item.entry)),
  );
  const now = Date.now();
  let earliest = Infinity;
  for (const [chain, { until }] of backoffs) {
    if (!waitingChains.has(chain)) backoffs.delete(chain);
    else if (until > now) earliest = Math.min(earliest, until);
  }
  // A chain already due was left by a stopped run (appliance gone): the queue's own retry or the way back in
  // reach wakes the sender; a timer here would only spin.
  if (earliest === Infinity || !connectionStore.get().reachable) return;
  chainTimer = setTimeout(
    () => {
      chainTimer = null;
      pump();
    },
    earliest - now,
  );
}

/** No answer to one write: the appliance is gone (everything waits) or only this write is stuck (its order waits). */
async function afterNoAnswer(chain: string): Promise<Outcome> {
  if (await checkConnection()) {
    backOff(chain, { firstFree: true });
    return "next";
  }
  networkFailures += 1;
  scheduleNetworkRetry();
  return "stop";
}

async function send(entry: OutboxEntry, path: string): Promise<Outcome> {
  const chain = chainOf(entry);
  // Gone meanwhile: discarded, or sent by another tab.
  const sending = patch(entry.id, { state: "sending", attempts: entry.attempts + 1 });
  if (!sending) return "next";
  let response: Response;
  let data: unknown = null;
  try {
    response = await api.fetch(
      new Request(new URL(path, location.origin), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": sending.id },
        body: JSON.stringify(sending.body),
      }),
    );
    // A body cut off by a Wi-Fi drop is a lost response too: the replay gets the stored one (and the new id).
    if (response.ok && response.status !== 204) data = await response.json();
  } catch (error) {
    if (!(error instanceof NetworkError)) console.warn("outbox send failed, will retry", error);
    requeue(sending);
    return afterNoAnswer(chain);
  }
  if (response.ok) {
    backoffs.delete(chain);
    networkFailures = 0;
    succeed(sending, data);
    return "next";
  }
  if (response.status === 401) {
    // The client already tried to refresh; without a session the entry waits for the next login.
    requeue(sending);
    if (currentUserId() === null) return "stop";
    networkFailures += 1;
    scheduleNetworkRetry();
    return "stop";
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    const serverErrors = (sending.serverErrors ?? 0) + (response.status >= 500 ? 1 : 0);
    if (serverErrors >= MAX_SERVER_ERRORS) {
      const problem = await errorFrom(response);
      backoffs.delete(chain);
      patch(sending.id, { serverErrors });
      fail(sending, { status: problem.status, code: problem.code, detail: problem.message });
      return "next";
    }
    requeue(sending, { serverErrors });
    backOff(chain);
    return "next";
  }
  const refusal = await errorFrom(response);
  if (ALREADY_DONE[sending.kind]?.includes(refusal.code)) {
    backoffs.delete(chain);
    networkFailures = 0;
    succeed(sending, null);
    return "next";
  }
  fail(sending, explain(sending, refusal), refusal);
  return "next";
}

/** Send what may go, in queue order, until nothing can; `exclusive` when this tab holds the send lock. */
async function drain(exclusive: boolean): Promise<void> {
  pumping = true;
  try {
    // Holding the lock, no other tab is sending: an entry still marked "sending" was left by a tab that died.
    if (exclusive && storedEntries().some((entry) => entry.state === "sending")) {
      mutate((entries) =>
        entries.map((entry) => (entry.state === "sending" ? { ...entry, state: "queued" as const } : entry)),
      );
    }
    for (;;) {
      const step = nextStep(outboxStore.get(), currentUserId());
      if (step === null) return;
      if ("error" in step) {
        fail(step.entry, step.error);
        continue;
      }
      if ((await send(step.entry, step.path)) === "stop") return;
    }
  } finally {
    pumping = false;
    scheduleChainWake();
    settleWaiters();
  }
}

function pump(): void {
  if (pumping || lockWanted) return;
  if (!locks) {
    void drain(false);
    return;
  }
  lockWanted = true;
  const run = async () => {
    lockWanted = false;
    await drain(true);
  };
  locks
    .request(SEND_LOCK, { ifAvailable: true }, async (lock) => {
      if (lock === null) return false;
      await run();
      return true;
    })
    // The lib types the callback's promise as the result; at run time it is the boolean.
    .then(async (ran) => {
      if (await ran) return;
      // Another tab is sending (and picks up what this one stored): the caller of submit() hears "queued"
      // now, and this tab looks once more when that sender is done, so nothing is left behind.
      settleWaiters();
      await locks.request(SEND_LOCK, run);
    })
    .catch((error: unknown) => {
      lockWanted = false;
      settleWaiters();
      console.error("outbox sender failed", error);
    });
}

/** Start sending if nothing is: right away when reachable, else after the backoff (the health check may win). */
function wake(): void {
  if (pumping || lockWanted) return;
  if (connectionStore.get().reachable) pump();
  else scheduleNetworkRetry();
}

/** Send what is queued now instead of waiting for any backoff. */
export function retryNow(): void {
  if (networkTimer !== null) clearTimeout(networkTimer);
  if (chainTimer !== null) clearTimeout(chainTimer);
  networkTimer = null;
  chainTimer = null;
  networkFailures = 0;
  backoffs.clear();
  pump();
}

export async function submit<T>(request: SubmitRequest, options: SubmitOptions = {}): Promise<SubmitResult<T>> {
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
  // Stored before anything is sent: from here on a crash, a reload or a dead battery cannot lose it. If it
  // cannot be stored it is not sent either: a write living only in memory would vanish with the tab.
  if (!mutate((entries) => [...entries, entry], { mustPersist: true })) throw new OutboxStorageError();
  try {
    options.onPersisted?.(entry);
  } catch (error) {
    // The write is safe in the queue; a failing screen callback must not make the caller send it twice.
    console.error("outbox onPersisted callback failed", error);
  }
  const step = nextStep(outboxStore.get(), currentUserId());
  const sendsNow = step?.entry.id === id && !pumping && !lockWanted && connectionStore.get().reachable;
  if (!sendsNow) {
    wake();
    return { status: "queued", entry };
  }
  const result = new Promise<SubmitResult<unknown>>((resolve, reject) => waiting.set(id, { entry, resolve, reject }));
  pump();
  return result as Promise<SubmitResult<T>>;
}

/**
 * Queue a failed entry again, with its key (a refusal is not stored by the appliance, so the key is free), at
 * its place in the queue: meant for writes refused for the license once it allows orders again.
 */
export function sendAgain(id: string): void {
  const target = storedEntries().find((entry) => entry.id === id);
  if (!target || target.state !== "failed") return;
  patch(id, { state: "queued", error: undefined, serverErrors: 0 });
  backoffs.delete(chainOf(target));
  wake();
}

/**
 * Drop an entry the waiter gave up on (meant for failed ones; one being sent stays). Dropping a failed open
 * also drops the writes waiting for that order's id: they can never be sent.
 */
export function discard(id: string): void {
  const target = storedEntries().find((entry) => entry.id === id);
  if (!target || target.state === "sending") return;
  const orphans = target.kind === "open" && resolveOrderRef(target.orderRef) === null;
  mutate((entries) =>
    entries.filter(
      (entry) =>
        entry.id !== id && !(orphans && entry.orderRef === target.orderRef && entry.state !== "sending"),
    ),
  );
  // A failed entry held the rest of its order.
  wake();
}

// Back in reach: send at once rather than at the end of the queue's backoff (a chain's own backoff stays).
connectionStore.subscribe(() => {
  if (!connectionStore.get().reachable) return;
  if (networkTimer !== null) clearTimeout(networkTimer);
  networkTimer = null;
  networkFailures = 0;
  pump();
});
// A waiter signed in again: send what waited for them.
let signedIn = currentUserId();
sessionStore.subscribe(() => {
  const user = currentUserId();
  if (user === signedIn) return;
  signedIn = user;
  if (user !== null) retryNow();
});

// Another tab changed the queue or learned an order's id: show it here too.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key === ENTRIES_KEY) outboxStore.set(storedEntries());
    if (event.key === null || event.key === ORDER_IDS_KEY) {
      const stored = readStored(ORDER_IDS_KEY);
      if (stored !== undefined) orderIds.set(parseOrderIds(stored));
    }
  });
}

// Entries left from before a reload or an app restart go out once the app has started.
if (outboxStore.get().length > 0) setTimeout(wake, 0);

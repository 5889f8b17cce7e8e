import { describe, expect, it } from "vitest";
import {
  BAR_ZONE,
  SENT_AT,
  T0,
  event,
  item,
  snapshot,
  ticket,
} from "../../shared/test-data/tickets";
import {
  EMPTY_BOARD,
  allDay,
  applyItemResult,
  applyMessage,
  applyTicketResult,
  formatTimer,
  nextStatus,
  urgencyOf,
  type BoardState,
  type KitchenMessage,
} from "../board";

function run(...messages: KitchenMessage[]): BoardState {
  return messages.reduce(applyMessage, EMPTY_BOARD);
}

const ids = (board: BoardState) => board.tickets.map((t) => t.id);

describe("snapshot and events", () => {
  it("starts from the snapshot, oldest ticket first, and remembers where the stream is", () => {
    const later = ticket(2, [item(21)], { sent_at: "2026-03-01T12:05:00Z" });
    const board = run(snapshot([later, ticket(1, [item(11)])], 7, "boot-a"));
    expect(board.screen?.name).toBe("Hot line");
    expect(ids(board)).toEqual([1, 2]);
    expect([board.epoch, board.seq]).toEqual(["boot-a", 7]);
  });

  it("ignores events before the snapshot and at or below the last applied sequence number", () => {
    const early = event("kitchen.ticket_new", 3, ticket(9, [item(91)]));
    expect(run(early)).toBe(EMPTY_BOARD);
    const board = run(snapshot([], 10), event("kitchen.ticket_new", 10, ticket(9, [item(91)])));
    expect(board.tickets).toEqual([]);
    const after = run(snapshot([], 10), event("kitchen.ticket_new", 11, ticket(9, [item(91)])));
    expect(ids(after)).toEqual([9]);
    expect(after.seq).toBe(11);
    // The same event again (a resumed stream repeating it) changes nothing.
    expect(applyMessage(after, event("kitchen.ticket_new", 11, ticket(9, [item(91)])))).toBe(after);
  });

  it("applies an event twice without harm: events carry state, not deltas", () => {
    const base = run(snapshot([ticket(1, [item(11)])]));
    const status = { item_id: 11, ticket_id: 1, status: "preparing", preparing_at: SENT_AT, ready_at: null, served_at: null };
    const once = applyMessage(base, event("kitchen.item_status", 11, status));
    const twice = applyMessage(once, event("kitchen.item_status", 12, status));
    expect(twice.tickets).toBe(once.tickets);
    expect(twice.seq).toBe(12);
    expect(once.tickets[0]?.items[0]?.status).toBe("preparing");
  });

  it("a new ticket joins the board in age order and a resumed stream keeps the board", () => {
    const board = run(
      snapshot([ticket(1, [item(11)]), ticket(3, [item(31)], { sent_at: "2026-03-01T12:10:00Z" })]),
      event("kitchen.ticket_new", 11, ticket(2, [item(21)], { sent_at: "2026-03-01T12:05:00Z" })),
    );
    expect(ids(board)).toEqual([1, 2, 3]);
    const resumed = applyMessage(board, { type: "resumed", epoch: "ep1", seq: 11 });
    expect(resumed.tickets).toBe(board.tickets);
    expect(resumed.seq).toBe(11);
  });

  it("a new snapshot (a resync) replaces everything", () => {
    const board = run(snapshot([ticket(1, [item(11)])]), snapshot([ticket(5, [item(51)])], 40, "boot-b"));
    expect(ids(board)).toEqual([5]);
    expect([board.epoch, board.seq]).toEqual(["boot-b", 40]);
  });
});

describe("item progress, voids, bump, recall, fire", () => {
  const base = () => run(snapshot([ticket(1, [item(11), item(12, { product_name: "Salad" })])]));

  it("moves an item on and keeps the ticket while something is left to do", () => {
    const status = { item_id: 11, ticket_id: 1, status: "ready", preparing_at: SENT_AT, ready_at: SENT_AT, served_at: null };
    const board = applyMessage(base(), event("kitchen.item_status", 11, status));
    expect(board.tickets[0]?.items.map((i) => i.status)).toEqual(["ready", "pending"]);
  });

  it("drops a ticket once every item is served", () => {
    const served = (id: number, seq: number) =>
      event("kitchen.item_status", seq, { item_id: id, ticket_id: 1, status: "served", preparing_at: null, ready_at: null, served_at: SENT_AT });
    const board = [served(11, 11), served(12, 12)].reduce(applyMessage, base());
    expect(board.tickets).toEqual([]);
  });

  it("strikes a voided item at once and keeps an all-void ticket until it is bumped", () => {
    let board = applyMessage(base(), event("kitchen.item_voided", 11, { item_id: 11, ticket_id: 1, status: "cancelled" }));
    expect(board.tickets[0]?.items[0]).toMatchObject({ status: "cancelled", held: false });
    board = applyMessage(board, event("kitchen.item_voided", 12, { item_id: 12, ticket_id: 1, status: "cancelled" }));
    expect(ids(board)).toEqual([1]);
    board = applyMessage(board, event("kitchen.ticket_bumped", 13, ticket(1, [], { bumped_at: SENT_AT })));
    expect(board.tickets).toEqual([]);
  });

  it("a bumped ticket leaves, a recalled one comes back, a fired one lights up its held items", () => {
    let board = applyMessage(base(), event("kitchen.ticket_bumped", 11, ticket(1, [item(11, { status: "ready" })], { bumped_at: SENT_AT })));
    expect(board.tickets).toEqual([]);
    // An item event of a ticket no longer shown is ignored (it comes back whole when recalled).
    board = applyMessage(board, event("kitchen.item_status", 12, { item_id: 11, ticket_id: 1, status: "served", preparing_at: null, ready_at: null, served_at: SENT_AT }));
    expect(board.tickets).toEqual([]);
    board = applyMessage(board, event("kitchen.ticket_recalled", 13, ticket(1, [item(11, { status: "preparing" })])));
    expect(board.tickets[0]?.items[0]?.status).toBe("preparing");

    const held = ticket(2, [item(21, { held: true, course: 2, fired_at: null })], { sent_at: "2026-03-01T12:01:00Z" });
    board = applyMessage(board, event("kitchen.ticket_new", 14, held));
    expect(board.tickets[1]?.items[0]?.held).toBe(true);
    const fired = ticket(2, [item(21, { course: 2, fired_at: "2026-03-01T12:30:00Z" })], {
      sent_at: "2026-03-01T12:01:00Z",
      fired_at: "2026-03-01T12:30:00Z",
    });
    board = applyMessage(board, event("kitchen.ticket_fired", 15, fired));
    expect(board.tickets[1]?.items[0]?.held).toBe(false);
    expect(board.tickets[1]?.fired_at).toBe("2026-03-01T12:30:00Z");
  });

  it("an updated ticket (the bill moved) replaces the one shown, in its place, or leaves once it has no items", () => {
    const later = ticket(2, [item(21)], { sent_at: "2026-03-01T12:05:00Z" });
    let board = run(snapshot([ticket(1, [item(11), item(12)]), later]));
    const moved = ticket(1, [item(11), item(12)], { table_label: "Terrace 12", order_id: 555 });
    board = applyMessage(board, event("kitchen.ticket_updated", 11, moved));
    expect(ids(board)).toEqual([1, 2]);
    expect([board.tickets[0]?.table_label, board.tickets[0]?.order_id]).toEqual(["Terrace 12", 555]);
    // Its items moved to another table's ticket: this one is left empty and goes; the other arrives whole.
    board = applyMessage(board, event("kitchen.ticket_updated", 12, ticket(1, [])));
    board = applyMessage(board, event("kitchen.ticket_updated", 13, ticket(3, [item(11)], { table_label: "T9" })));
    expect(ids(board)).toEqual([3, 2]);
    // An update of a ticket already done (bumped, or all served) does not bring it back.
    board = applyMessage(board, event("kitchen.ticket_updated", 14, ticket(4, [item(41, { status: "served" })])));
    board = applyMessage(board, event("kitchen.ticket_updated", 15, ticket(5, [item(51)], { bumped_at: SENT_AT })));
    expect(ids(board)).toEqual([3, 2]);
  });

  it("applies this screen's own answers at once but never moves an item backwards", () => {
    const ready = item(11, { status: "ready", ready_at: SENT_AT });
    let board = applyItemResult(base(), ready);
    expect(board.tickets[0]?.items[0]?.status).toBe("ready");
    // A late answer to the earlier "preparing" tap.
    expect(applyItemResult(board, item(11, { status: "preparing" }))).toBe(board);
    board = applyTicketResult(board, ticket(1, [ready, item(12, { status: "ready" })], { bumped_at: SENT_AT }));
    expect(board.tickets).toEqual([]);
  });
});

describe("all day", () => {
  it("sums the quantities still to make across tickets, most first, leaving out held, ready and void items", () => {
    const tickets = [
      ticket(1, [
        item(11, { product_name: "Souvlaki", quantity: 2 }),
        item(12, { product_name: "Salad", status: "preparing" }),
        item(13, { product_name: "Moussaka", status: "ready" }),
      ]),
      ticket(2, [
        item(21, { product_name: "Souvlaki", quantity: 1, status: "preparing" }),
        item(22, { product_name: "Salad", status: "cancelled" }),
        item(23, { product_name: "Octopus", held: true, fired_at: null, course: 2 }),
        item(24, { product_name: "Beer", quantity: 1 }),
      ]),
    ];
    expect(allDay(tickets)).toEqual([
      { name: "Souvlaki", count: 3 },
      { name: "Beer", count: 1 },
      { name: "Salad", count: 1 },
    ]);
  });
});

describe("timers", () => {
  it("escalates at the zone's thresholds", () => {
    const t = ticket(1, [item(11)]);
    expect(urgencyOf(t, T0 + 4 * 60_000 + 59_000)).toBe("normal");
    expect(urgencyOf(t, T0 + 5 * 60_000)).toBe("warn");
    expect(urgencyOf(t, T0 + 10 * 60_000)).toBe("late");
    const bar = ticket(2, [item(21)], { zone: BAR_ZONE, zone_id: BAR_ZONE.id });
    expect(urgencyOf(bar, T0 + 3 * 60_000)).toBe("warn");
    expect(urgencyOf(bar, T0 + 6 * 60_000)).toBe("late");
  });

  it("runs from the firing of the latest course, and a ticket that is all held is never late", () => {
    const fired = ticket(1, [item(11)], { fired_at: "2026-03-01T12:20:00Z" });
    expect(urgencyOf(fired, T0 + 21 * 60_000)).toBe("normal");
    const held = ticket(2, [item(21, { held: true, fired_at: null, course: 2 })]);
    expect(urgencyOf(held, T0 + 60 * 60_000)).toBe("normal");
  });

  it("formats like a kitchen timer", () => {
    expect(formatTimer(SENT_AT, T0 + 42_000)).toBe("0:42");
    expect(formatTimer(SENT_AT, T0 + 12 * 60_000 + 5_000)).toBe("12:05");
    expect(formatTimer(SENT_AT, T0 + 62 * 60_000 + 9_000)).toBe("1:02:09");
    expect(formatTimer(SENT_AT, T0 - 5_000)).toBe("0:00");
  });

  it("only fired items still to make can be tapped on", () => {
    expect(nextStatus(item(1))).toBe("preparing");
    expect(nextStatus(item(1, { status: "preparing" }))).toBe("ready");
    expect(nextStatus(item(1, { status: "ready" }))).toBeNull();
    expect(nextStatus(item(1, { held: true }))).toBeNull();
    expect(nextStatus(item(1, { status: "cancelled" }))).toBeNull();
  });
});

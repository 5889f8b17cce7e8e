// An order's audit trail in words: who added, cancelled, paid what and when. The appliance keeps each event's
// facts in `data` (ARCHITECTURE §3.2 audit); an event this screen does not know still shows, named by its action.
import type { Schemas } from "@tavolo/api";
import { formatMoney } from "@tavolo/ui";

export type AuditEvent = Schemas["AuditEventRead"];
type Data = AuditEvent["data"];

/** The kind of line, for colour and for tests. */
export type HistoryTone = "add" | "cancel" | "pay" | "info";

export interface HistoryLine {
  /** Follows the actor's name: "added 2 × Pasta". */
  what: string;
  /** The reason given, an approver, a method: what the manager reads under the line. */
  detail: string | null;
  tone: HistoryTone;
}

function text(data: Data, key: string): string | null {
  const value = data[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function int(data: Data, key: string): number | null {
  const value = data[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function records(data: Data, key: string): Data[] {
  const value = data[key];
  return Array.isArray(value)
    ? value.filter((row): row is Data => typeof row === "object" && row !== null && !Array.isArray(row))
    : [];
}

/** "2 × Pasta (no onion), 1 × Beer" */
function itemList(rows: Data[]): string {
  return rows
    .map((row) => {
      const extras = [
        ...((row.options as unknown[] | undefined) ?? []),
        ...((row.choices as unknown[] | undefined) ?? []),
        ...((row.removed as unknown[] | undefined) ?? []).map((name) => `no ${String(name)}`),
      ].filter((part) => typeof part === "string" && part !== "");
      const name = text(row, "name") ?? "item";
      const line = `${int(row, "quantity") ?? 1} × ${name}`;
      return extras.length > 0 ? `${line} (${extras.join(", ")})` : line;
    })
    .join(", ");
}

function humanize(action: string): string {
  // "upi.requested" stays "upi requested": the subsystem says what was requested.
  return action.replace(/^order\./, "").replace(/[._]/g, " ");
}

function joined(...parts: (string | null | false)[]): string | null {
  const kept = parts.filter((part): part is string => typeof part === "string" && part !== "");
  return kept.length > 0 ? kept.join(" · ") : null;
}

export function describeEvent(event: AuditEvent, currency: string): HistoryLine {
  const { data } = event;
  const money = (key: string) => {
    const amount = int(data, key);
    return amount === null ? null : formatMoney(amount, currency);
  };
  const reason = text(data, "reason");
  const approver = text(data, "approved_by_name");
  const approvedBy = approver && event.actor_name !== approver ? `approved by ${approver}` : null;
  switch (event.action) {
    case "order.opened": {
      const guests = int(data, "guests");
      const table = text(data, "table_label");
      return {
        what: `opened ${table ?? "the table"}${guests ? ` for ${guests} ${guests === 1 ? "guest" : "guests"}` : ""}`,
        detail: null,
        tone: "info",
      };
    }
    case "order.items_added": {
      const round = int(data, "round");
      return {
        what: `added ${itemList(records(data, "items"))}`,
        detail: joined(round ? `round ${round}` : null, money("amount")),
        tone: "add",
      };
    }
    case "order.item_cancelled":
      return {
        what: `cancelled ${int(data, "quantity") ?? 1} × ${text(data, "name") ?? "item"}`,
        detail: joined(money("amount"), reason && `reason: ${reason}`, approvedBy),
        tone: "cancel",
      };
    case "order.cancelled":
      return {
        what: "cancelled the order",
        detail: joined(money("amount"), reason && `reason: ${reason}`),
        tone: "cancel",
      };
    case "order.paid": {
      const items = records(data, "items");
      const tip = int(data, "tip");
      return {
        what: `took ${money("amount") ?? "a payment"} by ${text(data, "method") ?? "an unknown method"}`,
        detail: joined(
          tip ? `tip ${formatMoney(tip, currency)}` : null,
          items.length > 0 && `for ${itemList(items)}`,
          text(data, "split_part") && `part ${text(data, "split_part")}`,
          text(data, "reference") && `ref ${text(data, "reference")}`,
        ),
        tone: "pay",
      };
    }
    case "payment.refunded":
      return {
        what: `refunded ${money("amount") ?? "a payment"}${text(data, "method") ? ` by ${text(data, "method")}` : ""}`,
        detail: joined(reason && `reason: ${reason}`),
        tone: "cancel",
      };
    case "order.discounted":
    case "order.comped": {
      const item = text(data, "item_name");
      const kind = event.action === "order.comped" ? "comped" : "discounted";
      return {
        what: `${kind} ${item ?? "the bill"} (${money("amount") ?? "?"})`,
        detail: joined(reason && `reason: ${reason}`, approvedBy),
        tone: "cancel",
      };
    }
    case "order.discount_removed":
      return { what: `removed a discount of ${money("amount") ?? "?"}`, detail: approvedBy, tone: "info" };
    case "order.reassigned":
      return {
        what: `handed the order from ${text(data, "from_waiter_name") ?? "?"} to ${
          text(data, "to_waiter_name") ?? "?"
        }`,
        detail: null,
        tone: "info",
      };
    case "order.taken":
      return {
        what: `took the table over from ${text(data, "from_waiter_name") ?? "the guests"}`,
        detail: null,
        tone: "info",
      };
    case "order.transferred":
      return {
        what: `moved the order to ${text(data, "to_table_label") ?? "another table"}`,
        detail: null,
        tone: "info",
      };
    case "order.course_fired":
      return { what: `fired course ${int(data, "course") ?? "?"}`, detail: null, tone: "info" };
    case "order.merged":
      return { what: "merged another table's order into this one", detail: null, tone: "info" };
    case "order.merged_into":
      return { what: "merged this order into another table's", detail: null, tone: "info" };
    case "order.closed":
      return { what: "closed the order", detail: null, tone: "info" };
    case "printing.reprint":
      return {
        what: `reprinted a ${text(data, "kind") ?? ""} ticket`.replace("  ", " "),
        detail: text(data, "printer"),
        tone: "info",
      };
    default:
      return { what: humanize(event.action), detail: null, tone: "info" };
  }
}

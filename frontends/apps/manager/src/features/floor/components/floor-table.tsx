import type { Table } from "@tavolo/api";
import { Money, formatElapsed } from "@tavolo/ui";
import { memo, type HTMLAttributes } from "react";
import { Link } from "wouter";
import { TILE_H, TILE_W, UNIT_PX, type Pos } from "../model/layout";

export const STATE_LABELS: Record<Table["state"], string> = {
  free: "Free",
  open: "Occupied",
  partially_paid: "Partly paid",
  paid: "Paid",
};

export interface FloorTableEdit {
  /** Pointer and key handlers of the editor (floor-plan.tsx). */
  handlers: HTMLAttributes<HTMLButtonElement>;
  dragging: boolean;
  /** Where it is now would cover another table: it goes back to the last free place on release. */
  blocked: boolean;
  /** Id of the text that says how to move a table. */
  hintId: string;
}

interface FloorTableProps {
  table: Table;
  pos: Pos;
  now: number;
  currency: string;
  /** Its order is the one open in the detail. */
  selected?: boolean;
  /** Set in the layout editor: the tile is a movable button instead of a link. */
  edit?: FloorTableEdit;
}

const GuestIcon = () => (
  <svg className="floor-table__icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <circle cx="8" cy="4.5" r="3" fill="currentColor" />
    <path d="M2 15c0-3.5 2.7-5.5 6-5.5s6 2 6 5.5z" fill="currentColor" />
  </svg>
);

function TileBody({ table, now, currency }: Pick<FloorTableProps, "table" | "now" | "currency">) {
  const occupied = table.state !== "free";
  return (
    <>
      <span className="floor-table__top">
        <span className="floor-table__label">{table.label}</span>
        {occupied && table.guests ? (
          <span
            className="floor-table__guests"
            aria-label={`${table.guests} ${table.guests === 1 ? "guest" : "guests"}`}
          >
            <GuestIcon />
            {table.guests}
          </span>
        ) : null}
      </span>
      <span className="floor-table__state" data-testid={`floor-table-${table.number}-state`}>
        {STATE_LABELS[table.state]}
      </span>
      {occupied ? (
        <>
          <span className="floor-table__line floor-table__waiter" data-testid={`floor-table-${table.number}-waiter`}>
            {table.waiter_name ?? "—"}
          </span>
          <span className="floor-table__line" data-testid={`floor-table-${table.number}-elapsed`}>
            {table.opened_at && (
`open ${formatElapsed(table.opened_at, now)}`
            )}
          </span>
          <Money
            className="floor-table__total"
            amount={table.total}
            currency={currency}
            data-testid={`floor-table-${table.number}-total`}
          />
          {table.state === "partially_paid" && (
            <span className="floor-table__due">
              due <Money amount={table.due} currency={currency} />
            </span>
          )}
        </>
      ) : (
        <span className="floor-table__line">{table.seats} seats</span>
      )}
    </>
  );
}

/** One table on the floor plan, at its place: state in words and colour, waiter, guests, time open, total. */
export const FloorTable = memo(function FloorTable({ table, pos, now, currency, selected, edit }: FloorTableProps) {
  const style = {
    left: pos.x * UNIT_PX,
    top: pos.y * UNIT_PX,
    width: TILE_W * UNIT_PX,
    height: TILE_H * UNIT_PX,
  };
  const common = {
    className: "floor-table",
    style,
    "data-testid": `floor-table-${table.number}`,
    "data-state": table.state,
    "data-x": pos.x,
    "data-y": pos.y,
  };
  const body = <TileBody table={table} now={now} currency={currency} />;
  if (edit) {
    return (
      <button
        type="button"
        {...common}
        {...edit.handlers}
        data-dragging={edit.dragging || undefined}
        data-blocked={edit.blocked || undefined}
        aria-roledescription="movable table"
        aria-label={`${table.label}, column ${pos.x + 1}, row ${pos.y + 1}`}
        aria-describedby={edit.hintId}
      >
        {body}
      </button>
    );
  }
  if (table.order_id !== null) {
    return (
      <Link href={`/orders/${table.order_id}`} {...common} aria-current={selected ? "true" : undefined}>
        {body}
      </Link>
    );
  }
  return <div {...common}>{body}</div>;
});

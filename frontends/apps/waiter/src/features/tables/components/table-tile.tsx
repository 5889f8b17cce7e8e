import type { Table } from "@tavolo/api";
import { formatElapsed, formatMoney } from "@tavolo/ui";
import { memo } from "react";

/** "Table 3" for a bare number, else the label as the manager wrote it ("Bar 2"). */
export function tableName(table: Pick<Table, "label" | "number">): string {
  const label = table.label || String(table.number);
  return /^\d+$/.test(label) ? `Table ${label}` : label;
}

const GuestIcon = () => (
  <svg className="table-tile__icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <circle cx="8" cy="4.5" r="3" fill="currentColor" />
    <path d="M2 15c0-3.5 2.7-5.5 6-5.5s6 2 6 5.5z" fill="currentColor" />
  </svg>
);

export const STATE_LABELS: Record<Table["state"], string> = {
  free: "Free",
  open: "Open",
  partially_paid: "Part paid",
  paid: "Paid",
};

interface TableTileProps {
  table: Table;
  mine: boolean;
  /** The open of this table is still in the outbox. */
  pending: boolean;
  now: number;
  currency: string;
  onSelect: (table: Table) => void;
}

// Memoised: the 5 s poll keeps unchanged tables as the same objects, so only tables that changed re-render.
export const TableTile = memo(function TableTile({ table, mine, pending, now, currency, onSelect }: TableTileProps) {
  const occupied = table.state !== "free";
  const stateLabel = pending ? "Opening…" : STATE_LABELS[table.state];
  return (
    <button
      type="button"
      className="table-tile"
      data-testid={`table-${table.number}`}
      data-state={table.state}
      data-mine={String(mine)}
      data-by-guests={table.by_guests || undefined}
      data-pending={pending || undefined}
      onClick={() => onSelect(table)}
    >
      <span className="table-tile__top">
        <span className="table-tile__label">{table.label}</span>
        {mine && (
          <span className="table-tile__mine" aria-label="Your table">
            ★
          </span>
        )}
      </span>
      <span className="table-tile__state">{stateLabel}</span>
      {occupied ? (
        <>
          {table.by_guests ? (
            <span
              className="table-tile__owner table-tile__owner--guests"
              title="Guests ordered from the table's QR code"
              aria-label="Guests ordered from the table's QR code: needs a waiter"
            >
              Needs a waiter
            </span>
          ) : (
            <span className="table-tile__owner">{table.waiter_name ?? "—"}</span>
          )}
          <span className="table-tile__meta">
            {table.guests ? (
              <span aria-label={`${table.guests} guests`}>
                <GuestIcon />
                {table.guests}
              </span>
            ) : null}
            {table.opened_at && <span>{formatElapsed(table.opened_at, now)}</span>}
          </span>
          <span className="table-tile__due">{formatMoney(table.due, currency)}</span>
        </>
      ) : (
        <span className="table-tile__meta">{table.seats} seats</span>
      )}
    </button>
  );
});

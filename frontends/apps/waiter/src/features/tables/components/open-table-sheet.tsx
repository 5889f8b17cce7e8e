import type { Table } from "@tavolo/api";
import { Banner, Button, Sheet } from "@tavolo/ui";
import { useState } from "react";
import { useOrdersPaused } from "../../../shared/license";
import { tableName } from "./table-tile";

const MIN_GUESTS = 1;
const MAX_GUESTS = 100;

function clamp(value: number): number {
  return Math.min(MAX_GUESTS, Math.max(MIN_GUESTS, Math.round(value)));
}

interface OpenTableSheetProps {
  table: Table | null;
  busy: boolean;
  onOpen: (table: Table, guests: number) => void;
  onClose: () => void;
}

/** How many guests, then open. Keyed by table so every opening starts from the default. */
export function OpenTableSheet({ table, busy, onOpen, onClose }: OpenTableSheetProps) {
  const [text, setText] = useState("2");
  const parsed = Number.parseInt(text, 10);
  const guests = Number.isNaN(parsed) ? MIN_GUESTS : clamp(parsed);
  // The appliance would refuse the open (402/423): say why here rather than queue an order that cannot go.
  const paused = useOrdersPaused();

  return (
    <Sheet
      open={table !== null}
      onClose={onClose}
      title={table ? `Open ${tableName(table)}` : ""}
      data-testid="open-table-sheet"
      footer={
        <Button
          variant="primary"
          size="large"
          block
          busy={busy}
          disabled={paused !== null}
          data-testid="open-order"
          onClick={() => table && onOpen(table, guests)}
        >
          Open table
        </Button>
      }
    >
      <div className="guests">
        <label htmlFor="guests-input" className="guests__label">
          Guests
        </label>
        <div className="guests__row">
          <Button
            size="large"
            aria-label="Fewer guests"
            disabled={guests <= MIN_GUESTS}
            onClick={() => setText(String(clamp(guests - 1)))}
          >
            −
          </Button>
          <input
            id="guests-input"
            className="guests__input"
            data-testid="guests-input"
            type="number"
            inputMode="numeric"
            min={MIN_GUESTS}
            max={MAX_GUESTS}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onBlur={() => setText(String(guests))}
          />
          <Button
            size="large"
            aria-label="More guests"
            disabled={guests >= MAX_GUESTS}
            onClick={() => setText(String(clamp(guests + 1)))}
          >
            +
          </Button>
        </div>
        {table && <p className="guests__hint">{table.seats} seats at this table</p>}
        {paused && (
          <Banner tone="error" compact data-testid="open-paused">
            {paused}
          </Banner>
        )}
      </div>
    </Sheet>
  );
}

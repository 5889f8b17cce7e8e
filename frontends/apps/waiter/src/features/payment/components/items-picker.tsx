// Paying by items: tick lines (all their unpaid units), or take part of a line with − and + ("2 of 4 beers"),
// or a seat's lines at once. The selection is item id → units; the screen turns it into the part paid.
import type { Order, OrderItem } from "@tavolo/api";
import { formatMoney } from "@tavolo/ui";
import { memo, useEffect, useId, useMemo, useRef } from "react";
import { unitsAmount, unpaidUnits } from "../model/split";

export interface ItemsPickerProps {
  order: Order;
  currency: string;
  /** Units covered by payments still in the outbox: not selectable again. */
  queued: ReadonlyMap<number, number>;
  selection: ReadonlyMap<number, number>;
  onChange: (selection: Map<number, number>) => void;
}

function details(item: OrderItem): string {
  return [
    ...item.choices.map((c) => c.name),
    ...item.selected_options.map((o) => `+ ${o.name}`),
    ...item.removed_ingredients.map((i) => `no ${i.name}`),
  ].join(" · ");
}

export function ItemsPicker({ order, currency, queued, selection, onChange }: ItemsPickerProps) {
  const ids = useId();
  const live = useMemo(() => order.items.filter((item) => item.status !== "cancelled"), [order.items]);
  // Units each line still offers: unpaid, less what a queued payment covers.
  const open = useMemo(() => {
    const units = new Map<number, number>();
    for (const item of live) {
      const left = unpaidUnits(item) - (queued.get(item.id) ?? 0);
      if (left > 0) units.set(item.id, left);
    }
    return units;
  }, [live, queued]);
  const selectable = live.filter((item) => open.has(item.id));
  const chosenUnits = (id: number) => Math.min(selection.get(id) ?? 0, open.get(id) ?? 0);
  const allChosen = selectable.length > 0 && selectable.every((item) => chosenUnits(item.id) === open.get(item.id));
  const someChosen = selectable.some((item) => chosenUnits(item.id) > 0);
  const seats = [...new Set(selectable.map((item) => item.seat).filter((seat): seat is number => seat !== null))].sort(
    (a, b) => a - b,
  );

  const selectAllRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = someChosen && !allChosen;
  }, [someChosen, allChosen]);

  function set(id: number, units: number) {
    const next = new Map(selection);
    const clamped = Math.max(0, Math.min(units, open.get(id) ?? 0));
    if (clamped > 0) next.set(id, clamped);
    else next.delete(id);
    onChange(next);
  }

  function selectAll() {
    onChange(allChosen ? new Map() : new Map(open));
  }

  function selectSeat(seat: number) {
    onChange(new Map(selectable.filter((item) => item.seat === seat).map((item) => [item.id, open.get(item.id) ?? 0])));
  }

  const paidItems = live.filter((item) => unpaidUnits(item) === 0);
  const waiting = live.filter((item) => unpaidUnits(item) > 0 && !open.has(item.id));
  // Priced as the appliance charges units: after the ones already paid or waiting to be sent.
  const price = (item: OrderItem, units: number) => {
    const left = open.get(item.id) ?? 0;
    return unitsAmount(order, item, item.quantity - left, units);
  };
  const openTotal = selectable.reduce((sum, item) => sum + price(item, open.get(item.id) ?? 0), 0);

  return (
    <>
      <section className="pay-section" aria-labelledby={`${ids}-unpaid`}>
        <h2 className="pay-section__title" id={`${ids}-unpaid`}>
          To pay
        </h2>
        {selectable.length === 0 ? (
          <p className="pay-muted">
            {waiting.length === 0 ? "Every item is paid." : "Every unpaid item has a payment waiting to send."}
          </p>
        ) : (
          <>
            <label className="pay-row pay-row--all">
              <input
                ref={selectAllRef}
                type="checkbox"
                checked={allChosen}
                onChange={selectAll}
                data-testid="pay-select-all"
              />
              <span className="pay-row__name">All unpaid ({selectable.length})</span>
              <span className="pay-row__price">{formatMoney(openTotal, currency)}</span>
            </label>
            {seats.length > 1 && (
              <div className="pay-seats" role="group" aria-label="Select one seat's items">
                {seats.map((seat) => (
                  <button
                    key={seat}
                    type="button"
                    className="pay-seat"
                    onClick={() => selectSeat(seat)}
                    data-testid={`pay-seat-${seat}`}
                  >
                    Seat {seat}
                  </button>
                ))}
              </div>
            )}
            <ul className="pay-list">
              {selectable.map((item) => (
                <PayItemRow
                  key={item.id}
                  item={item}
                  currency={currency}
                  open={open.get(item.id) ?? 0}
                  chosen={chosenUnits(item.id)}
                  price={price(item, chosenUnits(item.id) || (open.get(item.id) ?? 0))}
                  onSet={set}
                />
              ))}
            </ul>
          </>
        )}
        {waiting.length > 0 && (
          <ul className="pay-list" aria-label="Payment waiting to send">
            {waiting.map((item) => (
              <li key={item.id} className="pay-row pay-row--waiting" data-testid={`pay-waiting-${item.id}`}>
                <span className="pay-row__name">
                  {item.quantity}× {item.product_name}
                  <span className="pay-row__note">Payment waiting to send</span>
                </span>
                <span className="pay-row__price">{formatMoney(item.line_total, currency)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {paidItems.length > 0 && (
        <details className="pay-section pay-paid">
          <summary className="pay-section__title">Paid items ({paidItems.length})</summary>
          <ul className="pay-list">
            {paidItems.map((item) => (
              <li key={item.id} className="pay-row pay-row--paid">
                <span className="pay-row__name">
                  {item.quantity}× {item.product_name}
                </span>
                <span className="pay-row__price">{formatMoney(item.line_total, currency)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

interface PayItemRowProps {
  item: OrderItem;
  currency: string;
  /** Units this line still offers. */
  open: number;
  chosen: number;
  /** What the chosen units (or, with none chosen, the open ones) cost, as the appliance charges them. */
  price: number;
  onSet: (id: number, units: number) => void;
}

const PayItemRow = memo(function PayItemRow({ item, currency, open, chosen, price, onSet }: PayItemRowProps) {
  const extra = details(item);
  const partlyPaid = open < item.quantity;
  return (
    <li className="pay-item">
      <label className="pay-row">
        <input
          type="checkbox"
          checked={chosen > 0}
          onChange={() => onSet(item.id, chosen > 0 ? 0 : open)}
          data-testid={`pay-item-${item.id}`}
        />
        <span className="pay-row__name">
          {open}× {item.product_name}
          {extra && <span className="pay-row__note">{extra}</span>}
          {item.seat !== null && <span className="pay-row__note">seat {item.seat}</span>}
          {partlyPaid && <span className="pay-row__note">{item.quantity - open} of {item.quantity} paid or waiting</span>}
        </span>
        <span className="pay-row__price">{formatMoney(price, currency)}</span>
      </label>
      {open > 1 && (
        <div className="pay-qty" role="group" aria-label={`How many ${item.product_name}`}>
          <button
            type="button"
            className="pay-qty__btn"
            aria-label={`One ${item.product_name} less`}
            disabled={chosen === 0}
            onClick={() => onSet(item.id, chosen - 1)}
            data-testid={`pay-qty-dec-${item.id}`}
          >
            −
          </button>
          <span className="pay-qty__value" data-testid={`pay-qty-${item.id}`} data-units={chosen}>
            {chosen} of {open}
          </span>
          <button
            type="button"
            className="pay-qty__btn"
            aria-label={`One ${item.product_name} more`}
            disabled={chosen >= open}
            onClick={() => onSet(item.id, chosen + 1)}
            data-testid={`pay-qty-inc-${item.id}`}
          >
            +
          </button>
        </div>
      )}
    </li>
  );
});

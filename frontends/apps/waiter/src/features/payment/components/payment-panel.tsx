// Choosing what the guest pays: items (all, some, or one seat's), the method and a tip. Holds only the
// waiter's choices; the screen around it sends them.
import type { Order, OrderItem, PaymentMethod } from "@tavolo/api";
import { Button, Money, formatMoney } from "@tavolo/ui";
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { parseAmount, tipNeedsConfirmation } from "../model/amount";

export interface PayRequest {
  itemIds: number[];
  method: PaymentMethod;
  /** Minor units. */
  tip: number;
  /** The selected items' total, minor units. */
  amount: number;
}

export interface PaymentPanelProps {
  order: Order;
  currency: string;
  /** Items covered by a payment still in the outbox: not selectable again. */
  pendingIds: ReadonlySet<number>;
  busy: boolean;
  /** Resolves true when the payment was taken (sent or queued): the choices are then cleared. */
  onPay: (request: PayRequest) => Promise<boolean>;
}

function payText(amount: number, tip: number, currency: string): string {
  const total = `Pay ${formatMoney(amount + tip, currency)}`;
  return tip ? `${total} (tip ${formatMoney(tip, currency)})` : total;
}

function details(item: OrderItem): string {
  return [
    ...item.choices.map((c) => c.name),
    ...item.selected_options.map((o) => `+ ${o.name}`),
    ...item.removed_ingredients.map((i) => `no ${i.name}`),
  ].join(" · ");
}

export function PaymentPanel({ order, currency, pendingIds, busy, onPay }: PaymentPanelProps) {
  const ids = useId();
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [method, setMethod] = useState<PaymentMethod | null>(null);
  const [tipText, setTipText] = useState("");
  // The tip and amount the waiter was asked to confirm; any change to either asks again.
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const tipInputRef = useRef<HTMLInputElement>(null);

  const live = useMemo(() => order.items.filter((item) => item.status !== "cancelled"), [order.items]);
  const unpaid = useMemo(() => live.filter((item) => !item.is_paid), [live]);
  const selectable = useMemo(() => unpaid.filter((item) => !pendingIds.has(item.id)), [unpaid, pendingIds]);
  // A poll can show an item paid from elsewhere: it drops out of the selection by itself.
  const chosen = selectable.filter((item) => selected.has(item.id));
  const amount = chosen.reduce((sum, item) => sum + item.line_total, 0);
  const allChosen = selectable.length > 0 && chosen.length === selectable.length;
  const tip = parseAmount(tipText, currency);
  const tipKey = tip === null ? null : `${tip}/${amount}`;
  const askingTip = askedFor !== null && askedFor === tipKey;
  const seats = useMemo(
    () =>
      [...new Set(selectable.map((item) => item.seat).filter((seat): seat is number => seat !== null))].sort(
        (a, b) => a - b,
      ),
    [selectable],
  );

  const selectAllRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = chosen.length > 0 && !allChosen;
  }, [chosen.length, allChosen]);

  const toggle = useCallback((id: number) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  function selectSeat(seat: number) {
    setSelected(new Set(selectable.filter((item) => item.seat === seat).map((item) => item.id)));
  }

  const problem =
    chosen.length === 0
      ? "Choose what is paid"
      : method === null
        ? "Choose cash or card"
        : tip === null
          ? "The tip is not an amount"
          : null;

  async function pay(tipConfirmed = false) {
    if (problem || method === null || tip === null) return;
    if (!tipConfirmed && tipNeedsConfirmation(tip, amount)) {
      setAskedFor(tipKey);
      return;
    }
    setAskedFor(null);
    const taken = await onPay({ itemIds: chosen.map((item) => item.id), method, tip, amount });
    if (taken) {
      setSelected(new Set());
      setTipText("");
      setMethod(null);
    }
  }

  const paidItems = live.filter((item) => item.is_paid);
  const waiting = unpaid.filter((item) => pendingIds.has(item.id));

  return (
    <>
      <section className="pay-section" aria-labelledby={`${ids}-unpaid`}>
        <h2 className="pay-section__title" id={`${ids}-unpaid`}>
          To pay
        </h2>
        {selectable.length === 0 ? (
          <p className="pay-muted">
            {unpaid.length === 0 ? "Every item is paid." : "Every unpaid item has a payment waiting to send."}
          </p>
        ) : (
          <>
            <label className="pay-row pay-row--all">
              <input
                ref={selectAllRef}
                type="checkbox"
                checked={allChosen}
                onChange={() => setSelected(allChosen ? new Set() : new Set(selectable.map((item) => item.id)))}
                data-testid="pay-select-all"
              />
              <span className="pay-row__name">All unpaid ({selectable.length})</span>
              <span className="pay-row__price">
                {formatMoney(
                  selectable.reduce((sum, item) => sum + item.line_total, 0),
                  currency,
                )}
              </span>
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
                  checked={selected.has(item.id)}
                  onToggle={toggle}
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

      {selectable.length > 0 && (
        <footer className="action-bar pay-actions">
          <p className="pay-actions__sum">
            <span>
              Selected {chosen.length} of {selectable.length}
            </span>
            <Money
              amount={amount}
              currency={currency}
              className="pay-actions__amount"
              data-testid="pay-selected-total"
            />
          </p>
          <div className="pay-actions__row" role="group" aria-label="Payment method">
            <Button
              variant={method === "cash" ? "primary" : "secondary"}
              aria-pressed={method === "cash"}
              onClick={() => setMethod("cash")}
              data-testid="pay-method-cash"
            >
              Cash
            </Button>
            <Button
              variant={method === "card" ? "primary" : "secondary"}
              aria-pressed={method === "card"}
              onClick={() => setMethod("card")}
              data-testid="pay-method-card"
            >
              Card
            </Button>
            <label className="pay-tip">
              <span className="visually-hidden">Tip</span>
              <input
                type="text"
                inputMode="decimal"
                placeholder={`Tip ${formatMoney(0, currency)}`}
                value={tipText}
                aria-invalid={tip === null || undefined}
                aria-describedby={tip === null ? `${ids}-tip-error` : undefined}
                ref={tipInputRef}
                onChange={(event) => setTipText(event.target.value)}
                data-testid="tip-input"
              />
            </label>
          </div>
          {tip === null && (
            <p className="pay-tip-error" id={`${ids}-tip-error`} data-testid="tip-error" role="alert">
              The tip is not an amount: type it like 2,50 (no spaces).
            </p>
          )}
          {askingTip && tip !== null && (
            <div className="pay-tip-confirm" role="alert" data-testid="tip-confirm-prompt">
              <p className="pay-tip-confirm__text">
                The tip of {formatMoney(tip, currency)} is more than half of the {formatMoney(amount, currency)} being
                paid. Is that right?
              </p>
              <div className="pay-tip-confirm__row">
                <Button
                  variant="secondary"
                  onClick={() => {
                    setAskedFor(null);
                    tipInputRef.current?.focus();
                  }}
                  data-testid="tip-change"
                >
                  Change the tip
                </Button>
                <Button variant="primary" busy={busy} onClick={() => void pay(true)} data-testid="tip-confirm">
                  Yes, tip {formatMoney(tip, currency)}
                </Button>
              </div>
            </div>
          )}
          <Button
            variant="primary"
            size="large"
            block
            busy={busy}
            // While the tip question is open, a second tap here must not count as its answer.
            disabled={problem !== null || askingTip}
            onClick={() => void pay()}
            data-testid="pay-submit"
          >
            {problem ?? payText(amount, tip ?? 0, currency)}
          </Button>
        </footer>
      )}
    </>
  );
}

interface PayItemRowProps {
  item: OrderItem;
  currency: string;
  checked: boolean;
  onToggle: (id: number) => void;
}

const PayItemRow = memo(function PayItemRow({ item, currency, checked, onToggle }: PayItemRowProps) {
  const extra = details(item);
  return (
    <li>
      <label className="pay-row">
        <input
          type="checkbox"
          checked={checked}
          onChange={() => onToggle(item.id)}
          data-testid={`pay-item-${item.id}`}
        />
        <span className="pay-row__name">
          {item.quantity}× {item.product_name}
          {extra && <span className="pay-row__note">{extra}</span>}
          {item.seat !== null && <span className="pay-row__note">seat {item.seat}</span>}
        </span>
        <span className="pay-row__price">{formatMoney(item.line_total, currency)}</span>
      </label>
    </li>
  );
});

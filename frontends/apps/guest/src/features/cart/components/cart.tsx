// The shared cart: a bar at the bottom (how many, how much) that opens the whole cart, with who added each
// line, +/- and remove, and the send button. The server's cart is the truth: nothing changes here until it
// answers (or the socket brings another phone's change).
import { Banner, Button, Sheet, formatMoney } from "@tavolo/ui";
import { useState } from "react";
import { errorCode, errorMessage } from "../../../lib/errors";
import { useLang, useStrings } from "../../../lib/i18n";
import { useTableState } from "../../../lib/live";
import { cartCount } from "../../../lib/table-state";
import type { GuestCartLine, GuestSubmission } from "../../../lib/types";
import { useRemoveLine, useSetQuantity, useSubmit } from "../api/cart-api";
import "./cart.css";

const QUANTITY_MAX = 20;

export interface CartProps {
  token: string;
  currency: string;
  nickname: string;
  /** "confirm": a waiter checks the order first; "direct": it goes straight to the kitchen. */
  ordering: "off" | "confirm" | "direct";
  canOrder: boolean;
  /** The newest submission was sent from here: the caller shows its progress. */
  onSent: (submission: GuestSubmission) => void;
}

export function Cart({ token, currency, nickname, ordering, canOrder, onSent }: CartProps) {
  const t = useStrings();
  const { cart } = useTableState();
  const [open, setOpen] = useState(false);
  const count = cartCount(cart);
  return (
    <>
      {cart && count > 0 && (
      <div className="g-cartbar">
        <button type="button" className="g-cartbar__button" onClick={() => setOpen(true)} data-testid="cart-bar">
          <span className="g-cartbar__count" data-testid="cart-count" data-count={count}>
            {t.items(count)}
          </span>
          <span className="g-cartbar__label">{t.cartOpen}</span>
          <span className="g-cartbar__total" data-testid="cart-total" data-amount={cart.total}>
            {formatMoney(cart.total, currency)}
          </span>
        </button>
      </div>
      )}
      {open && (
        <CartSheet
          token={token}
          currency={currency}
          nickname={nickname}
          ordering={ordering}
          canOrder={canOrder}
          onClose={() => setOpen(false)}
          onSent={(submission) => {
            setOpen(false);
            onSent(submission);
          }}
        />
      )}
    </>
  );
}

function CartSheet({ token, currency, nickname, ordering, canOrder, onClose, onSent }: Omit<CartProps, "onSent"> & {
  onClose: () => void;
  onSent: (submission: GuestSubmission) => void;
}) {
  const t = useStrings();
  const { cart } = useTableState();
  const setQuantity = useSetQuantity(token);
  const remove = useRemoveLine(token);
  const submit = useSubmit(token);
  const lines = cart?.lines ?? [];
  const failed = submit.error ?? setQuantity.error ?? remove.error;

  function send() {
    if (!cart) return;
    submit.mutate({ nickname, cartVersion: cart.version }, { onSuccess: (submission) => onSent(submission) });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!submit.isPending}
      title={t.cartTitle}
      data-testid="cart-sheet"
      footer={
        <div className="g-sheet-footer">
          {failed && (
            <Banner
              tone={errorCode(failed) === "CART_CHANGED" ? "warn" : "error"}
              compact
              data-testid="cart-error"
              data-code={errorCode(failed) ?? undefined}
            >
              {errorMessage(failed, t)}
            </Banner>
          )}
          <Button
            variant="primary"
            size="large"
            block
            busy={submit.isPending}
            disabled={!canOrder || lines.length === 0}
            onClick={send}
            data-testid="send-cart"
          >
            {ordering === "direct" ? t.sendKitchen : t.sendWaiter} · {formatMoney(cart?.total ?? 0, currency)}
          </Button>
        </div>
      }
    >
      <p className="g-muted">{lines.length === 0 ? t.cartEmpty : t.cartShared}</p>
      {!canOrder && <Banner tone="warn">{t.notAccepting}</Banner>}
      <ul className="g-lines">
        {lines.map((line) => (
          <CartLine
            key={line.id}
            line={line}
            currency={currency}
            mine={line.nickname === nickname}
            busy={setQuantity.isPending || remove.isPending}
            onQuantity={(quantity) => {
              submit.reset();
              setQuantity.mutate({ lineId: line.id, quantity });
            }}
            onRemove={() => {
              submit.reset();
              remove.mutate(line.id);
            }}
          />
        ))}
      </ul>
    </Sheet>
  );
}

function CartLine({
  line,
  currency,
  mine,
  busy,
  onQuantity,
  onRemove,
}: {
  line: GuestCartLine;
  currency: string;
  mine: boolean;
  busy: boolean;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}) {
  const lang = useLang();
  const t = useStrings();
  const name = lang === "el" ? line.product_name : line.product_name_en || line.product_name;
  const details = [...line.choices, ...line.options.map((o) => `+ ${o}`), ...line.removed.map((r) => t.without(r))];
  return (
    <li className="g-line" data-testid="cart-line" data-line-id={line.id} data-nickname={line.nickname}>
      <div className="g-line__main">
        <span className="g-line__name">{name}</span>
        {details.length > 0 && <span className="g-line__details">{details.join(" · ")}</span>}
        {line.note && <span className="g-line__details">“{line.note}”</span>}
        <span className="g-line__who" data-testid="cart-line-who">
          {t.addedBy(mine ? `${line.nickname} (${t.you})` : line.nickname)}
        </span>
      </div>
      <div className="g-line__side">
        <span className="g-line__total">{formatMoney(line.line_total, currency)}</span>
        <div className="g-stepper g-stepper--small" role="group" aria-label={name}>
          <button
            type="button"
            className="g-stepper__button"
            aria-label={t.oneLess}
            disabled={busy || line.quantity <= 1}
            onClick={() => onQuantity(line.quantity - 1)}
            data-testid="line-minus"
          >
            −
          </button>
          <output className="g-stepper__value" data-testid="line-quantity">
            {line.quantity}
          </output>
          <button
            type="button"
            className="g-stepper__button"
            aria-label={t.oneMore}
            disabled={busy || line.quantity >= QUANTITY_MAX}
            onClick={() => onQuantity(line.quantity + 1)}
            data-testid="line-plus"
          >
            +
          </button>
        </div>
        <button type="button" className="g-line__remove" onClick={onRemove} disabled={busy} data-testid="line-remove">
          {t.remove}
        </button>
      </div>
    </li>
  );
}

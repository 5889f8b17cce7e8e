// The shared cart: a bar at the bottom (how many, how much) that opens the whole cart, with who added each
// line, +/- and remove, and the send button. The server's cart is the truth: nothing changes here until it
// answers (or the socket brings another phone's change). A line whose dish sold out after it was added stays,
// marked, and holds the send back until someone removes it: the server would refuse the whole cart anyway.
import { ApiError } from "@tavolo/api";
import { Banner, Button, Sheet, formatMoney } from "@tavolo/ui";
import { useEffect, useState } from "react";
import { errorCode, errorMessage } from "../../../lib/errors";
import { useLang, useStrings } from "../../../lib/i18n";
import { onMenuChanged, tableStore, useTableState } from "../../../lib/live";
import { cartCount } from "../../../lib/table-state";
import type { GuestCartLine, GuestSubmission } from "../../../lib/types";
import { refreshCart, useRemoveLine, useStepQuantity, useSubmit } from "../api/cart-api";
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
  // An 86 is only a menu cue on the socket: read the cart again so its lines say what sold out.
  useEffect(
    () =>
      onMenuChanged(() => {
        if ((tableStore.get().cart?.lines.length ?? 0) === 0) return;
        refreshCart(token).catch((error: unknown) => console.warn("cart not read again", error));
      }),
    [token],
  );
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
  const step = useStepQuantity(token);
  const remove = useRemoveLine(token);
  const submit = useSubmit(token);
  const lines = cart?.lines ?? [];
  const soldOut = lines.some((line) => !line.available);
  const failed = submit.error ?? step.error ?? remove.error;
  // The refusal names the dishes (the server's words); the guest's language says what to do about it.
  const refusedSoldOut = failed instanceof ApiError && failed.code === "PRODUCT_UNAVAILABLE";

  function send() {
    if (!cart) return;
    submit.mutate(
      { nickname, cartVersion: cart.version },
      {
        onSuccess: (submission) => onSent(submission),
        onError: (error) => {
          // Sold out since this phone last read the cart: read it again so the line shows as sold out.
          if (errorCode(error) === "PRODUCT_UNAVAILABLE") {
            refreshCart(token).catch((reason: unknown) => console.warn("cart not read again", reason));
          }
        },
      },
    );
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
          {failed && refusedSoldOut && (
            <Banner tone="error" compact data-testid="cart-error" data-code={failed.code}>
              {t.soldOutRefused}
            </Banner>
          )}
          {failed && !refusedSoldOut && (
            <Banner
              tone={errorCode(failed) === "CART_CHANGED" ? "warn" : "error"}
              compact
              data-testid="cart-error"
              data-code={errorCode(failed) ?? undefined}
            >
              {errorMessage(failed, t)}
            </Banner>
          )}
          {soldOut && !refusedSoldOut && (
            <Banner tone="warn" compact data-testid="cart-sold-out">
              {t.soldOutBlocks}
            </Banner>
          )}
          <Button
            variant="primary"
            size="large"
            block
            busy={submit.isPending}
            disabled={!canOrder || lines.length === 0 || soldOut}
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
            // One write at a time from this phone: the number shown is always one the server answered.
            busy={step.isPending || remove.isPending}
            onStep={(delta) => {
              submit.reset();
              step.mutate({ lineId: line.id, delta });
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
  onStep,
  onRemove,
}: {
  line: GuestCartLine;
  currency: string;
  mine: boolean;
  busy: boolean;
  onStep: (delta: 1 | -1) => void;
  onRemove: () => void;
}) {
  const lang = useLang();
  const t = useStrings();
  const name = lang === "el" ? line.product_name : line.product_name_en || line.product_name;
  const details = [...line.choices, ...line.options.map((o) => `+ ${o}`), ...line.removed.map((r) => t.without(r))];
  return (
    <li
      className={line.available ? "g-line" : "g-line g-line--sold-out"}
      data-testid="cart-line"
      data-line-id={line.id}
      data-nickname={line.nickname}
      data-available={line.available}
    >
      <div className="g-line__main">
        <span className="g-line__name">{name}</span>
        {!line.available && (
          <span className="g-line__sold-out" data-testid="line-sold-out">
            {t.soldOutLine}
          </span>
        )}
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
            onClick={() => onStep(-1)}
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
            disabled={busy || !line.available || line.quantity >= QUANTITY_MAX}
            onClick={() => onStep(1)}
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

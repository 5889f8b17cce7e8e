// The product sheet: extras, what to leave out, the preferences (some required), how many and a note, then
// "Add to cart" straight into the table's shared cart.
import { Banner, Button, Sheet, formatMoney } from "@tavolo/ui";
import { useId, useState } from "react";
import { allergensLine } from "../../../lib/allergens";
import { errorMessage } from "../../../lib/errors";
import { pick, useLang, useStrings } from "../../../lib/i18n";
import type { GuestProduct } from "../../../lib/types";
import { useAddLine } from "../api/menu-api";
import { unitPrice } from "../model/pricing";

export const NOTE_MAX = 140;
const QUANTITY_MAX = 20;

export interface ProductSheetProps {
  token: string;
  product: GuestProduct;
  /** False once a refetched menu no longer has the product (sold out while the sheet was open). */
  available: boolean;
  /** False while the table takes no orders from phones: the sheet still shows what is in the dish. */
  canOrder: boolean;
  currency: string;
  nickname: string;
  onAdded: () => void;
  onClose: () => void;
}

function signed(amount: number, currency: string): string {
  return amount < 0 ? `−${formatMoney(-amount, currency)}` : `+${formatMoney(amount, currency)}`;
}

function toggled(set: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export function ProductSheet({ token, product, available, canOrder, currency, nickname, onAdded, onClose }: ProductSheetProps) {
  const ids = useId();
  const lang = useLang();
  const t = useStrings();
  const add = useAddLine(token);
  const [optionIds, setOptionIds] = useState<ReadonlySet<number>>(new Set());
  const [removedIds, setRemovedIds] = useState<ReadonlySet<number>>(new Set());
  const [choiceBySet, setChoiceBySet] = useState<Readonly<Record<number, number>>>({});
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState("");

  const choiceIds = Object.values(choiceBySet);
  const missing = product.preference_sets.filter((set) => set.required && choiceBySet[set.id] === undefined);
  const unit = unitPrice(product, optionIds, choiceIds);
  const allergens = allergensLine(lang, product.allergens);

  function choose(setId: number, choiceId: number | null) {
    setChoiceBySet((current) => {
      const next = { ...current };
      if (choiceId === null) delete next[setId];
      else next[setId] = choiceId;
      return next;
    });
  }

  function submit() {
    if (missing.length > 0 || !available || !canOrder) return;
    add.mutate(
      {
        product_id: product.id,
        quantity,
        option_ids: [...optionIds],
        removed_ingredient_ids: [...removedIds],
        choice_ids: choiceIds,
        note: note.trim() || null,
        nickname,
      },
      { onSuccess: onAdded },
    );
  }

  const hint = missing.length > 0 ? t.choose(missing.map((set) => pick(lang, set)).join(", ")) : null;
  const refusal = !available
    ? t.productGone
    : !canOrder
      ? t.notAccepting
      : add.error
        ? errorMessage(add.error, t)
        : null;

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!add.isPending}
      data-testid="product-sheet"
      title={pick(lang, product)}
      footer={
        <div className="g-sheet-footer">
          {refusal && (
            <Banner tone="error" compact data-testid="add-error">
              {refusal}
            </Banner>
          )}
          {hint && !refusal && (
            <p className="g-sheet-footer__hint" role="status">
              {hint}
            </p>
          )}
          <Button
            variant="primary"
            size="large"
            block
            busy={add.isPending}
            disabled={missing.length > 0 || !available || !canOrder}
            onClick={submit}
            data-testid="add-to-cart"
          >
            {t.addToCart} · {formatMoney(unit * quantity, currency)}
          </Button>
        </div>
      }
    >
      <div className="g-sheet">
        {product.image_url && <img className="g-sheet__photo" src={product.image_url} alt="" />}
        {product.description && <p className="g-sheet__description">{product.description}</p>}
        {allergens && (
          <p className="g-sheet__allergens" data-testid="product-allergens">
            {allergens}
          </p>
        )}

        {product.preference_sets.map((set) => {
          const chosen = choiceBySet[set.id];
          const unanswered = set.required && chosen === undefined;
          return (
            <fieldset key={set.id} className="g-group" aria-invalid={unanswered || undefined}>
              <legend className="g-group__legend">
                {pick(lang, set)}{" "}
                <span className={unanswered ? "g-group__req g-group__req--missing" : "g-group__req"}>
                  {set.required ? t.required : t.optional}
                </span>
              </legend>
              {!set.required && (
                <label className="g-choice">
                  <input
                    type="radio"
                    name={`${ids}-set-${set.id}`}
                    checked={chosen === undefined}
                    onChange={() => choose(set.id, null)}
                  />
                  <span className="g-choice__name">{t.none}</span>
                </label>
              )}
              {set.choices.map((choice) => (
                <label key={choice.id} className="g-choice">
                  <input
                    type="radio"
                    name={`${ids}-set-${set.id}`}
                    checked={chosen === choice.id}
                    onChange={() => choose(set.id, choice.id)}
                    data-testid={`choice-${choice.id}`}
                  />
                  <span className="g-choice__name">{pick(lang, choice)}</span>
                  {choice.price_delta !== 0 && (
                    <span className="g-choice__price">{signed(choice.price_delta, currency)}</span>
                  )}
                </label>
              ))}
            </fieldset>
          );
        })}

        {product.options.length > 0 && (
          <fieldset className="g-group">
            <legend className="g-group__legend">{t.extras}</legend>
            {product.options.map((option) => (
              <label key={option.id} className="g-choice">
                <input
                  type="checkbox"
                  checked={optionIds.has(option.id)}
                  onChange={() => setOptionIds((current) => toggled(current, option.id))}
                  data-testid={`option-${option.id}`}
                />
                <span className="g-choice__name">{pick(lang, option)}</span>
                {option.extra_cost !== 0 && (
                  <span className="g-choice__price">{signed(option.extra_cost, currency)}</span>
                )}
              </label>
            ))}
          </fieldset>
        )}

        {product.ingredients.length > 0 && (
          <fieldset className="g-group">
            <legend className="g-group__legend">{t.leaveOut}</legend>
            {product.ingredients.map((ingredient) => {
              const removed = removedIds.has(ingredient.id);
              const name = pick(lang, ingredient);
              return (
                <label key={ingredient.id} className="g-choice">
                  <input
                    type="checkbox"
                    checked={removed}
                    onChange={() => setRemovedIds((current) => toggled(current, ingredient.id))}
                    data-testid={`ingredient-${ingredient.id}`}
                  />
                  <span className={removed ? "g-choice__name g-choice__name--removed" : "g-choice__name"}>
                    {removed ? t.without(name) : name}
                  </span>
                </label>
              );
            })}
          </fieldset>
        )}

        <div className="g-field">
          <span className="g-field__label" id={`${ids}-qty`}>
            {t.quantity}
          </span>
          <div className="g-stepper" role="group" aria-labelledby={`${ids}-qty`}>
            <button
              type="button"
              className="g-stepper__button"
              aria-label={t.oneLess}
              disabled={quantity <= 1}
              onClick={() => setQuantity((q) => Math.max(1, q - 1))}
              data-testid="qty-minus"
            >
              −
            </button>
            <output className="g-stepper__value" aria-live="polite" data-testid="qty-value">
              {quantity}
            </output>
            <button
              type="button"
              className="g-stepper__button"
              aria-label={t.oneMore}
              disabled={quantity >= QUANTITY_MAX}
              onClick={() => setQuantity((q) => Math.min(QUANTITY_MAX, q + 1))}
              data-testid="qty-plus"
            >
              +
            </button>
          </div>
        </div>
        <label className="g-field g-field--note">
          <span className="g-field__label">{t.note}</span>
          <input
            type="text"
            maxLength={NOTE_MAX}
            value={note}
            enterKeyHint="done"
            onChange={(event) => setNote(event.target.value)}
            data-testid="note-input"
          />
        </label>
      </div>
    </Sheet>
  );
}

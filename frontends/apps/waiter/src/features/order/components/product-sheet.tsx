// The product sheet: everything the kitchen needs to know about one line before it goes into the draft.
import type { OrderItemCreate, Product } from "@tavolo/api";
import { Button, Sheet, formatMoney } from "@tavolo/ui";
import { useId, useState } from "react";
import { allergensLine } from "../model/allergens";
import { estimateUnitPrice, missingRequiredSets } from "../model/pricing";

export interface ProductSheetProps {
  product: Product;
  currency: string;
  /** The line being edited; absent when adding a new one. */
  initial?: OrderItemCreate;
  onSubmit: (item: OrderItemCreate) => void;
  onClose: () => void;
}

function signed(amount: number, currency: string): string {
  return amount < 0 ? `−${formatMoney(-amount, currency)}` : `+${formatMoney(amount, currency)}`;
}

function parseWhole(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,3}$/.test(trimmed) ? Number(trimmed) : null;
}

export function ProductSheet({ product, currency, initial, onSubmit, onClose }: ProductSheetProps) {
  const ids = useId();
  const [optionIds, setOptionIds] = useState<ReadonlySet<number>>(() => new Set(initial?.option_ids ?? []));
  const [removedIds, setRemovedIds] = useState<ReadonlySet<number>>(
    () => new Set(initial?.removed_ingredient_ids ?? []),
  );
  const [choiceBySet, setChoiceBySet] = useState<Readonly<Record<number, number>>>(() => {
    const picked = new Set(initial?.choice_ids ?? []);
    const bySet: Record<number, number> = {};
    for (const set of product.preference_sets) {
      const choice = set.choices.find((c) => picked.has(c.id));
      if (choice) bySet[set.id] = choice.id;
    }
    return bySet;
  });
  const [quantity, setQuantity] = useState(initial?.quantity ?? 1);
  const [seat, setSeat] = useState(initial?.seat == null ? "" : String(initial.seat));
  const [course, setCourse] = useState(String(initial?.course ?? 1));
  const [note, setNote] = useState(initial?.note ?? "");

  const choiceIds = Object.values(choiceBySet);
  const missing = missingRequiredSets(product, choiceIds);
  const seatValue = seat.trim() === "" ? null : parseWhole(seat);
  const seatInvalid = seat.trim() !== "" && (seatValue === null || seatValue > 99);
  const courseValue = parseWhole(course);
  const courseInvalid = courseValue === null || courseValue < 1 || courseValue > 9;
  const unit = estimateUnitPrice(product, { option_ids: [...optionIds], choice_ids: choiceIds });
  const blocked = missing.length > 0 || seatInvalid || courseInvalid;
  const allergens = allergensLine(product.allergens);

  function toggle(set: ReadonlySet<number>, id: number): Set<number> {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }

  function pick(setId: number, choiceId: number | null) {
    setChoiceBySet((current) => {
      const next = { ...current };
      if (choiceId === null) delete next[setId];
      else next[setId] = choiceId;
      return next;
    });
  }

  function submit() {
    if (blocked) return;
    onSubmit({
      product_id: product.id,
      quantity,
      option_ids: [...optionIds],
      removed_ingredient_ids: [...removedIds],
      choice_ids: choiceIds,
      note: note.trim() || null,
      seat: seatValue,
      course: courseValue ?? 1,
    });
  }

  const hint = missing.length > 0 ? `Choose ${missing.map((set) => set.name).join(", ")}` : null;

  return (
    <Sheet
      open
      onClose={onClose}
      data-testid="product-sheet"
      title={
        <span className="ord-sheet-title">
          {product.name}
          {product.name_en && product.name_en !== product.name && (
            <span className="ord-sheet-title__en">{product.name_en}</span>
          )}
        </span>
      }
      footer={
        <div className="ord-sheet-footer">
          {hint && (
            <p className="ord-sheet-footer__hint" role="status">
              {hint}
            </p>
          )}
          <Button variant="primary" size="large" block disabled={blocked} onClick={submit} data-testid="add-to-draft">
            {initial ? "Update" : "Add"} · {formatMoney(unit * quantity, currency)}
          </Button>
        </div>
      }
    >
      <div className="ord-sheet">
        {product.description && <p className="ord-sheet__description">{product.description}</p>}
        {allergens && (
          <p className="ord-sheet__allergens" data-testid="product-allergens">
            {allergens}
          </p>
        )}

        {product.preference_sets.map((set) => {
          const chosen = choiceBySet[set.id];
          const unanswered = set.is_required && chosen === undefined;
          return (
            <fieldset key={set.id} className="ord-group" aria-invalid={unanswered || undefined}>
              <legend className="ord-group__legend">
                {set.name}{" "}
                <span className={unanswered ? "ord-group__req ord-group__req--missing" : "ord-group__req"}>
                  {set.is_required ? "required" : "optional"}
                </span>
              </legend>
              {!set.is_required && (
                <label className="ord-choice">
                  <input
                    type="radio"
                    name={`${ids}-set-${set.id}`}
                    checked={chosen === undefined}
                    onChange={() => pick(set.id, null)}
                    data-testid={`choice-none-${set.id}`}
                  />
                  <span className="ord-choice__name">None</span>
                </label>
              )}
              {set.choices.map((choice) => (
                <label key={choice.id} className="ord-choice">
                  <input
                    type="radio"
                    name={`${ids}-set-${set.id}`}
                    checked={chosen === choice.id}
                    onChange={() => pick(set.id, choice.id)}
                    data-testid={`choice-${choice.id}`}
                  />
                  <span className="ord-choice__name">{choice.name}</span>
                  {choice.price_delta !== 0 && (
                    <span className="ord-choice__price">{signed(choice.price_delta, currency)}</span>
                  )}
                </label>
              ))}
            </fieldset>
          );
        })}

        {product.options.length > 0 && (
          <fieldset className="ord-group">
            <legend className="ord-group__legend">Extras</legend>
            {product.options.map((option) => (
              <label key={option.id} className="ord-choice">
                <input
                  type="checkbox"
                  checked={optionIds.has(option.id)}
                  onChange={() => setOptionIds((current) => toggle(current, option.id))}
                  data-testid={`option-${option.id}`}
                />
                <span className="ord-choice__name">{option.name}</span>
                {option.extra_cost !== 0 && (
                  <span className="ord-choice__price">{signed(option.extra_cost, currency)}</span>
                )}
              </label>
            ))}
          </fieldset>
        )}

        {product.ingredients.length > 0 && (
          <fieldset className="ord-group">
            <legend className="ord-group__legend">Leave out</legend>
            {product.ingredients.map((ingredient) => {
              const removed = removedIds.has(ingredient.id);
              return (
                <label key={ingredient.id} className="ord-choice">
                  <input
                    type="checkbox"
                    checked={removed}
                    onChange={() => setRemovedIds((current) => toggle(current, ingredient.id))}
                    data-testid={`ingredient-${ingredient.id}`}
                  />
                  <span className={removed ? "ord-choice__name ord-choice__name--removed" : "ord-choice__name"}>
                    {removed ? `no ${ingredient.name}` : ingredient.name}
                  </span>
                </label>
              );
            })}
          </fieldset>
        )}

        <div className="ord-fields">
          <div className="ord-field ord-field--qty">
            <span className="ord-field__label" id={`${ids}-qty`}>
              Quantity
            </span>
            <div className="ord-stepper" role="group" aria-labelledby={`${ids}-qty`}>
              <button
                type="button"
                className="ord-stepper__button"
                aria-label="One less"
                disabled={quantity <= 1}
                onClick={() => setQuantity((q) => Math.max(1, q - 1))}
                data-testid="qty-minus"
              >
                −
              </button>
              <output className="ord-stepper__value" aria-live="polite" data-testid="qty-value">
                {quantity}
              </output>
              <button
                type="button"
                className="ord-stepper__button"
                aria-label="One more"
                disabled={quantity >= 99}
                onClick={() => setQuantity((q) => Math.min(99, q + 1))}
                data-testid="qty-plus"
              >
                +
              </button>
            </div>
          </div>
          <label className="ord-field">
            <span className="ord-field__label">Seat</span>
            <input
              type="text"
              inputMode="numeric"
              placeholder="—"
              value={seat}
              aria-invalid={seatInvalid || undefined}
              onChange={(event) => setSeat(event.target.value)}
              data-testid="seat-input"
            />
          </label>
          <label className="ord-field">
            <span className="ord-field__label">Course</span>
            <input
              type="text"
              inputMode="numeric"
              value={course}
              aria-invalid={courseInvalid || undefined}
              onChange={(event) => setCourse(event.target.value)}
              data-testid="course-input"
            />
          </label>
        </div>
        {(seatInvalid || courseInvalid) && (
          <p className="ord-field__error" role="alert">
            {courseInvalid ? "Course is a number from 1 to 9." : "Seat is a number from 0 to 99."}
          </p>
        )}
        <label className="ord-field ord-field--note">
          <span className="ord-field__label">Note for the kitchen</span>
          <input
            type="text"
            maxLength={200}
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

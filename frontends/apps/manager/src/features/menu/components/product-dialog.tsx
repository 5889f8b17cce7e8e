import { Banner, Button, FormError, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useCurrency } from "../../../lib/site";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { currencyDigits, formatPercentBp } from "../../../shared/decimal";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import {
  archiveProduct,
  createProduct,
  deleteImage,
  updateProduct,
  uploadImage,
  useMenuWrite,
  type Category,
  type Printer,
  type Product,
} from "../api/menu-api";
import {
  buildProductPayload,
  draftFromProduct,
  emptyDraft,
  newKey,
  type ChoiceDraft,
  type DraftError,
  type PreferenceSetDraft,
  type ProductDraft,
} from "../model/product-form";
import { ALLERGENS } from "../model/allergens";
import { ImageField, type ImageChange } from "./image-field";

/** The product was saved but its photo was not: the form stays open on the saved product. */
class PhotoNotSaved extends Error {
  constructor(
    readonly product: Product,
    readonly reason: unknown,
  ) {
    super(`The product was saved, but the photo was not: ${describeError(reason)}`);
  }
}

function move<T>(list: T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (target < 0 || target >= list.length) return list;
  const copy = list.slice();
  const [item] = copy.splice(index, 1);
  copy.splice(target, 0, item as T);
  return copy;
}

const replace = <T,>(list: T[], index: number, patch: Partial<T>): T[] =>
  list.map((item, i) => (i === index ? { ...item, ...patch } : item));

const without = <T,>(list: T[], index: number): T[] => list.filter((_, i) => i !== index);

/** Up, down and remove for one row of a nested list, named after the row for a screen reader. */
function RowActions({
  what,
  index,
  count,
  onMove,
  onRemove,
  disabled,
}: {
  what: string;
  index: number;
  count: number;
  onMove: (delta: number) => void;
  onRemove: () => void;
  disabled: boolean;
}) {
  return (
    <div className="menu-row-actions">
      <Button
        variant="ghost"
        aria-label={`Move ${what} up`}
        disabled={disabled || index === 0}
        onClick={() => onMove(-1)}
      >
        ↑
      </Button>
      <Button
        variant="ghost"
        aria-label={`Move ${what} down`}
        disabled={disabled || index === count - 1}
        onClick={() => onMove(1)}
      >
        ↓
      </Button>
      <Button variant="ghost" aria-label={`Remove ${what}`} disabled={disabled} onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="menu-section">
      <legend className="menu-section__title">{title}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {children}
    </fieldset>
  );
}

/** Create a product (product null) or edit one with everything the API keeps about it. */
export function ProductDialog({
  product,
  categories,
  printers,
  defaultCategoryId,
  nextSortOrder,
  onClose,
}: {
  product: Product | null;
  categories: Category[];
  printers: Printer[];
  defaultCategoryId: number | null;
  nextSortOrder: (categoryId: number) => number;
  onClose: () => void;
}) {
  const currency = useCurrency();
  const digits = currencyDigits(currency);
  // After a create whose photo failed, the form edits the product that now exists.
  const [saved, setSaved] = useState<Product | null>(product);
  const [draft, setDraft] = useState<ProductDraft>(() =>
    product ? draftFromProduct(product, digits) : emptyDraft(defaultCategoryId),
  );
  const [image, setImage] = useState<ImageChange>({ kind: "keep" });
  const [problem, setProblem] = useState<DraftError | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const formId = useId();

  const save = useMenuWrite(async ({ draft: current, photo }: { draft: ProductDraft; photo: ImageChange }) => {
    let result: Product;
    if (saved) {
      const built = buildProductPayload(current, digits, "update");
      if ("error" in built) throw new Error(built.error.message);
      result = await updateProduct(saved.id, built.body);
    } else {
      const categoryId = current.categoryId ?? 0;
      const built = buildProductPayload(current, digits, "create", { sortOrder: nextSortOrder(categoryId) });
      if ("error" in built) throw new Error(built.error.message);
      result = await createProduct(built.body);
    }
    try {
      if (photo.kind === "upload") result = await uploadImage(result.id, photo.file);
      else if (photo.kind === "remove" && result.image_url) await deleteImage(result.id);
    } catch (error) {
      throw new PhotoNotSaved(result, error);
    }
    return result;
  });
  const archive = useMenuWrite((id: number) => archiveProduct(id));
  const busy = save.isPending || archive.isPending;

  function edit(patch: Partial<ProductDraft>) {
    setDraft((previous) => ({ ...previous, ...patch }));
    if (problem) setProblem(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = buildProductPayload(draft, digits, saved ? "update" : "create");
    if ("error" in built) {
      setProblem(built.error);
      formRef.current?.querySelector<HTMLElement>(`[data-field="${built.error.field}"]`)?.focus();
      return;
    }
    setProblem(null);
    save.mutate(
      { draft, photo: image },
      {
        onSuccess: onClose,
        onError: (error) => {
          if (!(error instanceof PhotoNotSaved)) return;
          // Later saves edit the saved product (with its new option ids), and only the photo is left to send.
          setSaved(error.product);
          setDraft(draftFromProduct(error.product, digits));
        },
      },
    );
  }

  const errorOf = (field: string) => (problem?.field === field ? problem.message : undefined);
  const category = categories.find((c) => c.id === draft.categoryId);
  const categoryZone = printers.find((p) => p.id === category?.printer_zone_id)?.name ?? "no printer";
  const categoryTax = category?.tax_rate_bp != null ? `${formatPercentBp(category.tax_rate_bp)} %` : "0 %";
  const moneyHint = `In ${currency}, like ${digits > 0 ? `12.${"5".padEnd(digits, "0")}` : "12"}.`;

  const setSets = (preferenceSets: PreferenceSetDraft[]) => edit({ preferenceSets });
  const setChoices = (setIndex: number, choices: ChoiceDraft[]) =>
    setSets(replace(draft.preferenceSets, setIndex, { choices }));

  return (
    <Sheet
      open
      onClose={onClose}
      title={saved ? `Edit ${saved.name}` : "New product"}
      dismissible={!busy}
      initialFocus={nameRef}
      data-testid="product-dialog"
      footer={
        <>
          {saved && (
            <Button
              variant="danger"
              onClick={() => setConfirmArchive(true)}
              disabled={busy}
              data-testid="product-archive"
            >
              Archive
            </Button>
          )}
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending} data-testid="product-save">
            {saved ? "Save changes" : "Add product"}
          </Button>
        </>
      }
    >
      <form id={formId} ref={formRef} className="dialog-form menu-product-form" onSubmit={submit} noValidate>
        <div className="menu-product-top">
          <div className="dialog-form">
            <div className="form-grid">
              <Field label="Name" error={errorOf("name")}>
                {(control) => (
                  <input
                    {...control}
                    ref={nameRef}
                    maxLength={120}
                    autoComplete="off"
                    value={draft.name}
                    onChange={(e) => edit({ name: e.target.value })}
                    data-field="name"
                    data-testid="product-name"
                  />
                )}
              </Field>
              <Field label="English name" hint="Optional.">
                {(control) => (
                  <input
                    {...control}
                    maxLength={120}
                    autoComplete="off"
                    value={draft.nameEn}
                    onChange={(e) => edit({ nameEn: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Price" hint={moneyHint} error={errorOf("price")}>
                {(control) => (
                  <input
                    {...control}
                    inputMode="decimal"
                    autoComplete="off"
                    value={draft.price}
                    onChange={(e) => edit({ price: e.target.value })}
                    data-field="price"
                    data-testid="product-price"
                  />
                )}
              </Field>
            </div>
            <Field label="Description" hint="Optional: what the waiter can tell the guest.">
              {(control) => (
                <textarea
                  {...control}
                  rows={2}
                  maxLength={2000}
                  value={draft.description}
                  onChange={(e) => edit({ description: e.target.value })}
                  data-testid="product-description"
                />
              )}
            </Field>
            <div className="form-grid">
              <Field label="Category" error={errorOf("category")}>
                {(control) => (
                  <select
                    {...control}
                    value={draft.categoryId ?? ""}
                    onChange={(e) => edit({ categoryId: e.target.value ? Number(e.target.value) : null })}
                    data-field="category"
                    data-testid="product-category"
                  >
                    {draft.categoryId === null && <option value="">Choose…</option>}
                    {categories.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Printer zone" hint="Where its tickets print.">
                {(control) => (
                  <select
                    {...control}
                    value={draft.zoneId}
                    onChange={(e) => edit({ zoneId: e.target.value })}
                    data-testid="product-zone"
                  >
                    <option value="">As its category ({categoryZone})</option>
                    {printers.map((printer) => (
                      <option key={printer.id} value={printer.id}>
                        {printer.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Tax rate (%)" hint={`Empty: as its category (${categoryTax}).`} error={errorOf("tax")}>
                {(control) => (
                  <input
                    {...control}
                    inputMode="decimal"
                    autoComplete="off"
                    value={draft.taxPercent}
                    onChange={(e) => edit({ taxPercent: e.target.value })}
                    data-field="tax"
                    data-testid="product-tax"
                  />
                )}
              </Field>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.isAvailable}
                onChange={(e) => edit({ isAvailable: e.target.checked })}
                data-testid="product-available"
              />
              Available (waiters can order it)
            </label>

          </div>
          <ImageField
          storedUrl={saved?.image_url ?? null}
          productName={draft.name}
          change={image}
          onChange={setImage}
          disabled={busy}
        />

        </div>

        <Section title="Allergens" hint="What the dish contains; guests and waiters see it on the menu.">
          <div className="menu-allergens" data-testid="product-allergens">
            {ALLERGENS.map(({ code, label }) => (
              <label key={code} className="check">
                <input
                  type="checkbox"
                  checked={draft.allergens.includes(code)}
                  onChange={(e) =>
                    edit({
                      allergens: e.target.checked
                        ? [...draft.allergens, code]
                        : draft.allergens.filter((a) => a !== code),
                    })
                  }
                  data-testid={`allergen-${code}`}
                />
                {label}
              </label>
            ))}
          </div>
        </Section>

        <Section title="Options" hint="Extras the guest can add, each with its extra cost.">
          {draft.options.length === 0 && <p className="muted">No options.</p>}
          {draft.options.map((option, index) => {
            const what = `option ${option.name.trim() || index + 1}`;
            return (
              <fieldset key={option.key} className="menu-row" data-testid={`option-row-${index}`}>
                <legend className="visually-hidden">Option {index + 1}</legend>
                <Field label="Name" error={errorOf(`option-${index}-name`)}>
                  {(control) => (
                    <input
                      {...control}
                      maxLength={120}
                      autoComplete="off"
                      value={option.name}
                      onChange={(e) => edit({ options: replace(draft.options, index, { name: e.target.value }) })}
                      data-field={`option-${index}-name`}
                      data-testid={`option-name-${index}`}
                    />
                  )}
                </Field>
                <Field label="Extra cost" error={errorOf(`option-${index}-cost`)}>
                  {(control) => (
                    <input
                      {...control}
                      inputMode="decimal"
                      autoComplete="off"
                      value={option.extraCost}
                      onChange={(e) => edit({ options: replace(draft.options, index, { extraCost: e.target.value }) })}
                      data-field={`option-${index}-cost`}
                      data-testid={`option-cost-${index}`}
                    />
                  )}
                </Field>
                <RowActions
                  what={what}
                  index={index}
                  count={draft.options.length}
                  disabled={busy}
                  onMove={(delta) => edit({ options: move(draft.options, index, delta) })}
                  onRemove={() => edit({ options: without(draft.options, index) })}
                />
              </fieldset>
            );
          })}
          <div>
            <Button
              onClick={() =>
                edit({ options: [...draft.options, { key: newKey(), name: "", nameEn: null, extraCost: "" }] })
              }
              disabled={busy}
              data-testid="option-add"
            >
              Add option
            </Button>
          </div>
        </Section>

        <Section title="Removable ingredients" hint="What a guest may ask to leave out (“no onion”).">
          {draft.ingredients.length === 0 && <p className="muted">No removable ingredients.</p>}
          {draft.ingredients.map((ingredient, index) => (
            <fieldset key={ingredient.key} className="menu-row menu-row--single">
              <legend className="visually-hidden">Ingredient {index + 1}</legend>
              <Field label="Ingredient" error={errorOf(`ingredient-${index}-name`)}>
                {(control) => (
                  <input
                    {...control}
                    maxLength={120}
                    autoComplete="off"
                    value={ingredient.name}
                    onChange={(e) => edit({ ingredients: replace(draft.ingredients, index, { name: e.target.value }) })}
                    data-field={`ingredient-${index}-name`}
                    data-testid={`ingredient-name-${index}`}
                  />
                )}
              </Field>
              <RowActions
                what={`ingredient ${ingredient.name.trim() || index + 1}`}
                index={index}
                count={draft.ingredients.length}
                disabled={busy}
                onMove={(delta) => edit({ ingredients: move(draft.ingredients, index, delta) })}
                onRemove={() => edit({ ingredients: without(draft.ingredients, index) })}
              />
            </fieldset>
          ))}
          <div>
            <Button
              onClick={() => edit({ ingredients: [...draft.ingredients, { key: newKey(), name: "", nameEn: null }] })}
              disabled={busy}
              data-testid="ingredient-add"
            >
              Add ingredient
            </Button>
          </div>
        </Section>

        <Section
          title="Preferences"
          hint={
            "Questions the waiter asks (“Doneness”: medium, well done); the guest picks one choice of each. " +
            "A required one must be answered before the item is sent."
          }
        >
          {draft.preferenceSets.length === 0 && <p className="muted">No preferences.</p>}
          {draft.preferenceSets.map((set, setIndex) => {
            const setWhat = `preference ${set.name.trim() || setIndex + 1}`;
            return (
              <fieldset key={set.key} className="menu-set" data-testid={`set-${setIndex}`}>
                <legend className="visually-hidden">Preference {setIndex + 1}</legend>
                <div className="menu-row menu-row--single">
                  <Field label="Preference" error={errorOf(`set-${setIndex}-name`)}>
                    {(control) => (
                      <input
                        {...control}
                        maxLength={120}
                        autoComplete="off"
                        value={set.name}
                        onChange={(e) => setSets(replace(draft.preferenceSets, setIndex, { name: e.target.value }))}
                        data-field={`set-${setIndex}-name`}
                        data-testid={`set-name-${setIndex}`}
                      />
                    )}
                  </Field>
                  <RowActions
                    what={setWhat}
                    index={setIndex}
                    count={draft.preferenceSets.length}
                    disabled={busy}
                    onMove={(delta) => setSets(move(draft.preferenceSets, setIndex, delta))}
                    onRemove={() => setSets(without(draft.preferenceSets, setIndex))}
                  />
                </div>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={set.isRequired}
                    onChange={(e) => setSets(replace(draft.preferenceSets, setIndex, { isRequired: e.target.checked }))}
                    data-testid={`set-required-${setIndex}`}
                  />
                  Required (must be answered)
                </label>
                <ul className="menu-choices" aria-label={`Choices of ${setWhat}`}>
                  {set.choices.map((choice, c) => (
                    <li key={choice.key}>
                      <fieldset className="menu-row">
                        <legend className="visually-hidden">
                          Choice {c + 1} of {setWhat}
                        </legend>
                        <Field label="Choice" error={errorOf(`set-${setIndex}-choice-${c}-name`)}>
                          {(control) => (
                            <input
                              {...control}
                              maxLength={120}
                              autoComplete="off"
                              value={choice.name}
                              onChange={(e) => setChoices(setIndex, replace(set.choices, c, { name: e.target.value }))}
                              data-field={`set-${setIndex}-choice-${c}-name`}
                              data-testid={`choice-name-${setIndex}-${c}`}
                            />
                          )}
                        </Field>
                        <Field label="Price change" error={errorOf(`set-${setIndex}-choice-${c}-delta`)}>
                          {(control) => (
                            <input
                              {...control}
                              inputMode="decimal"
                              autoComplete="off"
                              placeholder="0.00"
                              value={choice.priceDelta}
                              onChange={(e) =>
                                setChoices(setIndex, replace(set.choices, c, { priceDelta: e.target.value }))
                              }
                              data-field={`set-${setIndex}-choice-${c}-delta`}
                              data-testid={`choice-delta-${setIndex}-${c}`}
                            />
                          )}
                        </Field>
                        <RowActions
                          what={`choice ${choice.name.trim() || c + 1}`}
                          index={c}
                          count={set.choices.length}
                          disabled={busy}
                          onMove={(delta) => setChoices(setIndex, move(set.choices, c, delta))}
                          onRemove={() => setChoices(setIndex, without(set.choices, c))}
                        />
                      </fieldset>
                    </li>
                  ))}
                </ul>
                <div>
                  <Button
                    onClick={() =>
                      setChoices(setIndex, [...set.choices, { key: newKey(), name: "", nameEn: null, priceDelta: "" }])
                    }
                    disabled={busy}
                    data-field={`set-${setIndex}-add`}
                    data-testid={`choice-add-${setIndex}`}
                  >
                    Add choice
                  </Button>
                  {errorOf(`set-${setIndex}-add`) && (
                    <span className="field__error"> {errorOf(`set-${setIndex}-add`)}</span>
                  )}
                </div>
              </fieldset>
            );
          })}
          <div>
            <Button
              onClick={() =>
                setSets([
                  ...draft.preferenceSets,
                  {
                    key: newKey(),
                    name: "",
                    nameEn: null,
                    isRequired: false,
                    choices: [{ key: newKey(), name: "", nameEn: null, priceDelta: "" }],
                  },
                ])
              }
              disabled={busy}
              data-testid="set-add"
            >
              Add preference
            </Button>
          </div>
        </Section>

        {problem && <FormError data-testid="product-form-problem">{problem.message}</FormError>}
        {save.isError && (
          <Banner
            tone="error"
            title={save.error instanceof PhotoNotSaved ? "The photo was not saved" : "The product was not saved"}
            data-testid="product-error"
          >
            {save.error instanceof PhotoNotSaved ? save.error.message : describeError(save.error)}
          </Banner>
        )}
      </form>
      {confirmArchive && saved && (
        <ConfirmDialog
          title={`Archive ${saved.name}?`}
          confirmLabel="Archive product"
          cancelLabel="Keep it"
          busy={archive.isPending}
          error={archive.error}
          onClose={() => {
            archive.reset();
            setConfirmArchive(false);
          }}
          onConfirm={() => archive.mutate(saved.id, { onSuccess: onClose })}
          testId="product-archive-dialog"
        >
          <p>
            It leaves the menu for good: waiters can no longer order it. Past orders and reports keep it. To take
            it off for today only, mark it sold out (86) instead.
          </p>
        </ConfirmDialog>
      )}
    </Sheet>
  );
}

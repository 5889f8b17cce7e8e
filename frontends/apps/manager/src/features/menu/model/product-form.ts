// The product form's state (text as typed) and the request body it becomes. Kept apart from the component so
// the rules (what is required, how amounts are parsed, which ids an edit keeps) are tested without a browser.
import type { Schemas } from "@tavolo/api";
import { formatFixed, formatPercentBp, parseFixed, parsePercentBp } from "../../../shared/decimal";
import { canonicalAllergens, type Allergen } from "./allergens";

type Product = Schemas["ProductRead"];
export type ProductCreate = Schemas["ProductCreate"];
export type ProductUpdate = Schemas["ProductUpdate"];

/** Rows of a nested list keep a client-side key (for React and reordering) and, once saved, the server's id. */
export interface OptionDraft {
  key: string;
  id?: number;
  name: string;
  nameEn: string | null;
  extraCost: string;
}

export interface IngredientDraft {
  key: string;
  id?: number;
  name: string;
  nameEn: string | null;
}

export interface ChoiceDraft {
  key: string;
  id?: number;
  name: string;
  nameEn: string | null;
  priceDelta: string;
}

export interface PreferenceSetDraft {
  key: string;
  id?: number;
  name: string;
  nameEn: string | null;
  isRequired: boolean;
  choices: ChoiceDraft[];
}

export interface ProductDraft {
  name: string;
  nameEn: string;
  description: string;
  price: string;
  categoryId: number | null;
  /** "" follows the category. */
  zoneId: string;
  /** "" follows the category. */
  taxPercent: string;
  isAvailable: boolean;
  /** Ticked EU allergens; any order (the payload puts them in the canonical one). */
  allergens: Allergen[];
  options: OptionDraft[];
  ingredients: IngredientDraft[];
  preferenceSets: PreferenceSetDraft[];
}

let counter = 0;
/** A key for a new row; unique within the page's life. */
export function newKey(): string {
  counter += 1;
  return `new-${counter}`;
}

export function emptyDraft(categoryId: number | null): ProductDraft {
  return {
    name: "",
    nameEn: "",
    description: "",
    price: "",
    categoryId,
    zoneId: "",
    taxPercent: "",
    isAvailable: true,
    allergens: [],
    options: [],
    ingredients: [],
    preferenceSets: [],
  };
}

export function draftFromProduct(product: Product, digits: number): ProductDraft {
  return {
    name: product.name,
    nameEn: product.name_en ?? "",
    description: product.description ?? "",
    price: formatFixed(product.base_price, digits),
    categoryId: product.category_id,
    zoneId: product.printer_zone_id === null ? "" : String(product.printer_zone_id),
    taxPercent: product.tax_rate_bp === null ? "" : formatPercentBp(product.tax_rate_bp),
    isAvailable: product.is_available,
    allergens: [...product.allergens],
    options: product.options.map((o) => ({
      key: `option-${o.id}`,
      id: o.id,
      name: o.name,
      nameEn: o.name_en,
      extraCost: formatFixed(o.extra_cost, digits),
    })),
    ingredients: product.ingredients.map((i) => ({
      key: `ingredient-${i.id}`,
      id: i.id,
      name: i.name,
      nameEn: i.name_en,
    })),
    preferenceSets: product.preference_sets.map((s) => ({
      key: `set-${s.id}`,
      id: s.id,
      name: s.name,
      nameEn: s.name_en,
      isRequired: s.is_required,
      choices: s.choices.map((c) => ({
        key: `choice-${c.id}`,
        id: c.id,
        name: c.name,
        nameEn: c.name_en,
        priceDelta: formatFixed(c.price_delta, digits),
      })),
    })),
  };
}

/** A problem with one field of the form: `field` names the input (for focus and aria-invalid). */
export interface DraftError {
  field: string;
  message: string;
}

const MAX_PRICE = 10_000_000;

/** Null when `text` is a usable amount (within the API's bounds); the message otherwise. */
function amountOf(text: string, digits: number, { signed = false, blankIsZero = false } = {}): number | string {
  if (blankIsZero && text.trim() === "") return 0;
  const minor = parseFixed(text, digits, { signed });
  const example = digits > 0 ? `12.${"5".padEnd(digits, "0")}` : "12";
  if (minor === null) return `Enter an amount like ${example}${signed ? " (or -1.00 for less)" : ""}.`;
  if (Math.abs(minor) > MAX_PRICE) return "That amount is too large.";
  return minor;
}

/** An edit names the row it changes; a new row has no id yet. */
const withId = (id: number | undefined): { id?: number } => (id ? { id } : {});

const blankToNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/**
 * The body for POST /api/products/ (create) or PUT /api/products/{id} (update), or the first problem found.
 * An update sends every field and every nested list: rows with an id are edited in place, rows without are
 * added, and rows the manager removed are left out (so the API deletes them); list order is the sort order.
 */
export function buildProductPayload(
  draft: ProductDraft,
  digits: number,
  mode: "create",
  extra?: { sortOrder?: number },
): { error: DraftError } | { body: ProductCreate };
export function buildProductPayload(
  draft: ProductDraft,
  digits: number,
  mode: "update",
): { error: DraftError } | { body: ProductUpdate };
export function buildProductPayload(
  draft: ProductDraft,
  digits: number,
  mode: "create" | "update",
  extra?: { sortOrder?: number },
): { error: DraftError } | { body: ProductCreate | ProductUpdate };
export function buildProductPayload(
  draft: ProductDraft,
  digits: number,
  mode: "create" | "update",
  extra: { sortOrder?: number } = {},
): { error: DraftError } | { body: ProductCreate | ProductUpdate } {
  const fail = (field: string, message: string) => ({ error: { field, message } });
  const name = draft.name.trim();
  if (!name) return fail("name", "Enter the product's name.");
  if (draft.categoryId === null) return fail("category", "Choose a category.");
  const price = amountOf(draft.price, digits);
  if (typeof price === "string") return fail("price", price);
  if (price < 0) return fail("price", "A price cannot be negative.");
  let tax: number | null = null;
  if (draft.taxPercent.trim() !== "") {
    tax = parsePercentBp(draft.taxPercent);
    if (tax === null) return fail("tax", "Enter a tax rate from 0 to 100 %, like 13 or 5.5, or leave it empty.");
  }

  const options = [];
  for (const [index, option] of draft.options.entries()) {
    const optionName = option.name.trim();
    if (!optionName) return fail(`option-${index}-name`, `Option ${index + 1}: enter its name.`);
    const cost = amountOf(option.extraCost, digits, { blankIsZero: true });
    if (typeof cost === "string") return fail(`option-${index}-cost`, `Option ${optionName}: ${cost}`);
    options.push({ ...withId(option.id), name: optionName, name_en: option.nameEn, extra_cost: cost });
  }

  const ingredients = [];
  for (const [index, ingredient] of draft.ingredients.entries()) {
    const ingredientName = ingredient.name.trim();
    if (!ingredientName) return fail(`ingredient-${index}-name`, `Ingredient ${index + 1}: enter its name.`);
    ingredients.push({ ...withId(ingredient.id), name: ingredientName, name_en: ingredient.nameEn });
  }

  const sets = [];
  for (const [index, set] of draft.preferenceSets.entries()) {
    const setName = set.name.trim();
    if (!setName) return fail(`set-${index}-name`, `Preference ${index + 1}: enter its name (like “Doneness”).`);
    if (set.choices.length === 0) return fail(`set-${index}-add`, `Preference ${setName}: add at least one choice.`);
    const choices = [];
    for (const [c, choice] of set.choices.entries()) {
      const choiceName = choice.name.trim();
      const at = `set-${index}-choice-${c}`;
      if (!choiceName) return fail(`${at}-name`, `Preference ${setName}, choice ${c + 1}: enter its name.`);
      const delta = amountOf(choice.priceDelta, digits, { signed: true, blankIsZero: true });
      if (typeof delta === "string") return fail(`${at}-delta`, `${setName} – ${choiceName}: ${delta}`);
      choices.push({ ...withId(choice.id), name: choiceName, name_en: choice.nameEn, price_delta: delta });
    }
    sets.push({
      ...withId(set.id),
      name: setName,
      name_en: set.nameEn,
      is_required: set.isRequired,
      choices,
    });
  }

  const common = {
    name,
    name_en: blankToNull(draft.nameEn),
    description: blankToNull(draft.description),
    base_price: price,
    category_id: draft.categoryId,
    is_available: draft.isAvailable,
    printer_zone_id: draft.zoneId === "" ? null : Number(draft.zoneId),
    tax_rate_bp: tax,
    allergens: canonicalAllergens(draft.allergens),
  };
  if (mode === "update") return { body: { ...common, options, ingredients, preference_sets: sets } };
  // A new product has no ids yet: none are sent (the create schema forbids them).
  const strip = <T extends { id?: number }>({ id: _id, ...rest }: T) => rest;
  return {
    body: {
      ...common,
      sort_order: extra.sortOrder ?? 0,
      options: options.map(strip),
      ingredients: ingredients.map(strip),
      preference_sets: sets.map((set) => ({ ...strip(set), choices: set.choices.map(strip) })),
    },
  };
}

import type { Schemas } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { ALLERGENS, canonicalAllergens } from "../model/allergens";
import { buildProductPayload, draftFromProduct, emptyDraft, type ProductDraft } from "../model/product-form";

const SOUVLAKI: Schemas["ProductRead"] = {
  id: 7,
  category_id: 2,
  name: "Souvlaki pork",
  name_en: "Pork skewer",
  description: null,
  base_price: 1100,
  is_available: true,
  unavailable_reason: null,
  is_archived: false,
  printer_zone_id: null,
  tax_rate_bp: 1300,
  image_url: "/api/products/7/image?v=abc",
  sort_order: 3,
  allergens: ["gluten", "milk"],
  options: [
    { id: 11, name: "Extra pita", name_en: null, extra_cost: 80, sort_order: 0 },
    { id: 12, name: "Tzatziki", name_en: null, extra_cost: 120, sort_order: 1 },
  ],
  ingredients: [{ id: 21, name: "Onion", name_en: "Onion", sort_order: 0 }],
  preference_sets: [
    {
      id: 31,
      name: "Doneness",
      name_en: null,
      is_required: true,
      sort_order: 0,
      choices: [
        { id: 41, name: "Medium", name_en: null, price_delta: 0, sort_order: 0 },
        { id: 42, name: "Well done", name_en: null, price_delta: -50, sort_order: 1 },
      ],
    },
  ],
};

function filled(patch: Partial<ProductDraft> = {}): ProductDraft {
  return { ...emptyDraft(2), name: " Kleftiko ", price: "16.50", ...patch };
}

describe("a new product's payload", () => {
  it("carries the typed fields as the API wants them: money in minor units, blanks as null", () => {
    const result = buildProductPayload(
      filled({
        description: "  ",
        taxPercent: "",
        zoneId: "",
        options: [{ key: "a", name: "Extra lemon", nameEn: null, extraCost: "1.20" }],
        ingredients: [{ key: "b", name: "Garlic", nameEn: null }],
        preferenceSets: [
          {
            key: "c",
            name: "Portion",
            nameEn: null,
            isRequired: true,
            choices: [
              { key: "d", name: "Full", nameEn: null, priceDelta: "" },
              { key: "e", name: "Half", nameEn: null, priceDelta: "-4,00" },
            ],
          },
        ],
      }),
      2,
      "create",
      { sortOrder: 5 },
    );
    expect(result).toEqual({
      body: {
        name: "Kleftiko",
        name_en: null,
        description: null,
        base_price: 1650,
        category_id: 2,
        is_available: true,
        printer_zone_id: null,
        tax_rate_bp: null,
        allergens: [],
        sort_order: 5,
        options: [{ name: "Extra lemon", name_en: null, extra_cost: 120 }],
        ingredients: [{ name: "Garlic", name_en: null }],
        preference_sets: [
          {
            name: "Portion",
            name_en: null,
            is_required: true,
            choices: [
              { name: "Full", name_en: null, price_delta: 0 },
              { name: "Half", name_en: null, price_delta: -400 },
            ],
          },
        ],
      },
    });
  });

  it("overrides the category's zone and tax only when the manager sets them", () => {
    const result = buildProductPayload(filled({ zoneId: "4", taxPercent: "24" }), 2, "create");
    expect(result).toMatchObject({ body: { printer_zone_id: 4, tax_rate_bp: 2400, sort_order: 0 } });
  });

  it.each([
    [{ name: "  " }, "name"],
    [{ categoryId: null }, "category"],
    [{ price: "" }, "price"],
    [{ price: "12.345" }, "price"],
    [{ price: "-3" }, "price"],
    [{ price: "100001" }, "price"],
    [{ taxPercent: "130" }, "tax"],
    [{ options: [{ key: "a", name: "", nameEn: null, extraCost: "1" }] }, "option-0-name"],
    [{ options: [{ key: "a", name: "Feta", nameEn: null, extraCost: "-1" }] }, "option-0-cost"],
    [{ ingredients: [{ key: "a", name: " ", nameEn: null }] }, "ingredient-0-name"],
    [{ preferenceSets: [{ key: "a", name: "", nameEn: null, isRequired: false, choices: [] }] }, "set-0-name"],
    [{ preferenceSets: [{ key: "a", name: "Size", nameEn: null, isRequired: false, choices: [] }] }, "set-0-add"],
    [
      {
        preferenceSets: [
          {
            key: "a",
            name: "Size",
            nameEn: null,
            isRequired: false,
            choices: [{ key: "b", name: "Large", nameEn: null, priceDelta: "x" }],
          },
        ],
      },
      "set-0-choice-0-delta",
    ],
  ] as [Partial<ProductDraft>, string][])("names the field in error (%o → %s) and builds nothing", (patch, field) => {
    const result = buildProductPayload(filled(patch), 2, "create");
    expect("error" in result && result.error.field).toBe(field);
    expect("body" in result).toBe(false);
  });
});

describe("an edited product's payload", () => {
  it("round-trips an untouched product: every id kept, every amount unchanged", () => {
    const result = buildProductPayload(draftFromProduct(SOUVLAKI, 2), 2, "update");
    expect(result).toEqual({
      body: {
        name: "Souvlaki pork",
        name_en: "Pork skewer",
        description: null,
        base_price: 1100,
        category_id: 2,
        is_available: true,
        printer_zone_id: null,
        tax_rate_bp: 1300,
        allergens: ["gluten", "milk"],
        options: [
          { id: 11, name: "Extra pita", name_en: null, extra_cost: 80 },
          { id: 12, name: "Tzatziki", name_en: null, extra_cost: 120 },
        ],
        ingredients: [{ id: 21, name: "Onion", name_en: "Onion" }],
        preference_sets: [
          {
            id: 31,
            name: "Doneness",
            name_en: null,
            is_required: true,
            choices: [
              { id: 41, name: "Medium", name_en: null, price_delta: 0 },
              { id: 42, name: "Well done", name_en: null, price_delta: -50 },
            ],
          },
        ],
      },
    });
    // No sort_order: the product keeps its place in the category.
    expect("body" in result && "sort_order" in result.body).toBe(false);
  });

  it("sends the lists in their new order, new rows without an id and removed rows left out", () => {
    const draft = draftFromProduct(SOUVLAKI, 2);
    const [pita, tzatziki] = draft.options;
    if (!pita || !tzatziki) throw new Error("seed");
    const edited: ProductDraft = {
      ...draft,
      price: "11.90",
      taxPercent: "",
      options: [tzatziki, { key: "new", name: "Fries", nameEn: null, extraCost: "2" }],
      ingredients: [],
    };
    const result = buildProductPayload(edited, 2, "update");
    if (!("body" in result)) throw new Error(result.error.message);
    expect(result.body.base_price).toBe(1190);
    // Empty tax: null clears the override, so the category's rate applies again.
    expect(result.body.tax_rate_bp).toBeNull();
    expect(result.body.options).toEqual([
      { id: 12, name: "Tzatziki", name_en: null, extra_cost: 120 },
      { name: "Fries", name_en: null, extra_cost: 200 },
    ]);
    expect(result.body.ingredients).toEqual([]);
  });

  it("shows stored amounts in the form as typed amounts", () => {
    const draft = draftFromProduct(SOUVLAKI, 2);
    expect(draft.price).toBe("11.00");
    expect(draft.taxPercent).toBe("13");
    expect(draft.options.map((o) => o.extraCost)).toEqual(["0.80", "1.20"]);
    expect(draft.preferenceSets[0]?.choices.map((c) => c.priceDelta)).toEqual(["0.00", "-0.50"]);
  });
});

describe("a product's allergens", () => {
  it("are sent once each in the canonical order, whatever order the manager ticked them in", () => {
    const result = buildProductPayload(filled({ allergens: ["sesame", "gluten", "milk", "gluten"] }), 2, "create");
    expect(result).toMatchObject({ body: { allergens: ["gluten", "milk", "sesame"] } });
  });

  it("are read from the product and unticking one leaves it out of the update", () => {
    const draft = draftFromProduct(SOUVLAKI, 2);
    expect(draft.allergens).toEqual(["gluten", "milk"]);
    const result = buildProductPayload({ ...draft, allergens: ["milk"] }, 2, "update");
    expect(result).toMatchObject({ body: { allergens: ["milk"] } });
  });

  it("can all be unticked: an empty list clears them", () => {
    const result = buildProductPayload({ ...draftFromProduct(SOUVLAKI, 2), allergens: [] }, 2, "update");
    expect(result).toMatchObject({ body: { allergens: [] } });
  });

  it("are offered as the EU's fourteen, each with an English label", () => {
    expect(ALLERGENS.map((a) => a.code)).toEqual([
      "gluten",
      "crustaceans",
      "eggs",
      "fish",
      "peanuts",
      "soybeans",
      "milk",
      "nuts",
      "celery",
      "mustard",
      "sesame",
      "sulphites",
      "lupin",
      "molluscs",
    ]);
    expect(ALLERGENS.every((a) => a.label.length > 0)).toBe(true);
    expect(canonicalAllergens(["molluscs", "eggs"])).toEqual(["eggs", "molluscs"]);
  });
});

import { appliance, json } from "../../../test/stub-appliance";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { allergenNames, allergensLine } from "../../../lib/allergens";
import { setLang } from "../../../lib/i18n";
import type { GuestMenu, GuestProduct } from "../../../lib/types";
import { souvlaki } from "../../../test/menu-data";
import { renderWithQueries } from "../../../test/render";
import { MenuScreen } from "../components/menu-screen";
import { ProductSheet } from "../components/product-sheet";

const water: GuestProduct = {
  ...souvlaki,
  id: 3,
  name: "Νερό",
  name_en: "Water",
  description: null,
  options: [],
  ingredients: [],
  preference_sets: [],
  allergens: [],
};

const MENU: GuestMenu = {
  categories: [{ id: 1, name: "Κυρίως", name_en: "Mains", color: "#607d8b" }],
  products: [souvlaki, water],
};

function renderSheet(product: GuestProduct = souvlaki) {
  return renderWithQueries(
    <ProductSheet
      token="tok"
      product={product}
      available
      canOrder
      currency="EUR"
      nickname="Anna"
      onAdded={() => {}}
      onClose={() => {}}
    />,
  );
}

describe("allergen names", () => {
  it("are the EU's fourteen in both languages, in the order given", () => {
    expect(allergenNames("en", ["gluten", "crustaceans", "eggs", "fish", "peanuts", "soybeans", "milk"])).toEqual([
      "Gluten",
      "Crustaceans",
      "Eggs",
      "Fish",
      "Peanuts",
      "Soybeans",
      "Milk",
    ]);
    expect(allergenNames("el", ["nuts", "celery", "mustard", "sesame", "sulphites", "lupin", "molluscs"])).toEqual([
      "Ξηροί καρποί",
      "Σέλινο",
      "Μουστάρδα",
      "Σουσάμι",
      "Θειώδη",
      "Λούπινο",
      "Μαλάκια",
    ]);
  });

  it("make one labelled line, and none for a product without allergens", () => {
    expect(allergensLine("en", ["gluten", "milk"])).toBe("Allergens: Gluten, Milk");
    expect(allergensLine("el", ["peanuts", "eggs"])).toBe("Αλλεργιογόνα: Αράπικα φιστίκια, Αυγά");
    expect(allergensLine("en", [])).toBeNull();
  });
});

describe("the guest sees a product's allergens", () => {
  beforeEach(() => {
    appliance.mockReset();
    appliance.mockImplementation(async () => json(200, MENU));
  });

  it("on the product sheet, in English", () => {
    setLang("en");
    renderSheet();
    expect(screen.getByTestId("product-allergens")).toHaveTextContent("Allergens: Gluten, Milk");
  });

  it("on the product sheet, in Greek", () => {
    setLang("el");
    renderSheet();
    expect(screen.getByTestId("product-allergens")).toHaveTextContent("Αλλεργιογόνα: Γλουτένη, Γάλα");
  });

  it("not at all on the sheet of a product without any", () => {
    setLang("en");
    renderSheet(water);
    expect(screen.queryByTestId("product-allergens")).toBeNull();
  });

  it("on the menu's product cards, apart from the removable ingredients", async () => {
    setLang("en");
    renderWithQueries(<MenuScreen token="tok" currency="EUR" nickname="Anna" canOrder />);
    const cards = await screen.findAllByTestId("product-card");
    const [souvlakiCard, waterCard] = cards;
    if (!souvlakiCard || !waterCard) throw new Error("two cards expected");
    expect(within(souvlakiCard).getByTestId("card-allergens")).toHaveTextContent("Allergens: Gluten, Milk");
    expect(within(souvlakiCard).getByText("Ingredients: Onion")).toBeInTheDocument();
    expect(within(waterCard).queryByTestId("card-allergens")).toBeNull();
  });

  it("on the menu's product cards, in Greek", async () => {
    setLang("el");
    renderWithQueries(<MenuScreen token="tok" currency="EUR" nickname="Anna" canOrder />);
    const [souvlakiCard] = await screen.findAllByTestId("product-card");
    if (!souvlakiCard) throw new Error("a card expected");
    expect(within(souvlakiCard).getByTestId("card-allergens")).toHaveTextContent("Αλλεργιογόνα: Γλουτένη, Γάλα");
  });
});

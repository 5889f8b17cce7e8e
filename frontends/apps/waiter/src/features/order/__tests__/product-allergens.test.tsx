import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ProductSheet } from "../components/product-sheet";
import { souvlaki, water } from "./menu-data";

afterEach(cleanup);

describe("the waiter's product sheet", () => {
  it("shows the product's allergens on one line", () => {
    render(
      <ProductSheet
        product={{ ...souvlaki, allergens: ["gluten", "milk"] }}
        currency="EUR"
        onSubmit={() => {}}
        onClose={() => {}}
      />,
    );
    expect(screen.getByTestId("product-allergens")).toHaveTextContent("Allergens: Gluten, Milk");
  });

  it("shows no allergen line for a product without any", () => {
    render(<ProductSheet product={water} currency="EUR" onSubmit={() => {}} onClose={() => {}} />);
    expect(screen.queryByTestId("product-allergens")).toBeNull();
  });
});

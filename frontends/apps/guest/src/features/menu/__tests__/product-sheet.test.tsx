import { appliance, json, sent } from "../../../test/stub-appliance";
import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLang } from "../../../lib/i18n";
import { tableStore } from "../../../lib/live";
import { EMPTY_TABLE_STATE } from "../../../lib/table-state";
import { cart, cartLine, souvlaki } from "../../../test/menu-data";
import { renderWithQueries } from "../../../test/render";
import { ProductSheet } from "../components/product-sheet";

function renderSheet(onAdded = vi.fn()) {
  const user = renderWithQueries(
    <ProductSheet
      token="tok"
      product={souvlaki}
      available
      canOrder
      currency="EUR"
      nickname="Anna"
      onAdded={onAdded}
      onClose={() => {}}
    />,
  );
  return { user, onAdded };
}

describe("the product sheet", () => {
  beforeEach(() => {
    appliance.mockReset();
    tableStore.set(EMPTY_TABLE_STATE);
    setLang("en");
  });

  it("shows the English names and the allergen-relevant ingredients", () => {
    renderSheet();
    expect(screen.getByRole("dialog", { name: "Souvlaki" })).toBeInTheDocument();
    expect(screen.getByText("Onion")).toBeInTheDocument();
    expect(screen.getByText("Doneness")).toBeInTheDocument();
  });

  it("adds nothing until the required choice is made, then sends the line with the nickname", async () => {
    appliance.mockResolvedValue(json(201, cart(1, [cartLine(7, "Anna")])));
    const { user, onAdded } = renderSheet();
    const add = screen.getByTestId("add-to-cart");
    expect(add).toBeDisabled();
    expect(screen.getByText("Please choose: Doneness")).toBeInTheDocument();

    await user.click(screen.getByTestId("choice-51"));
    await user.click(screen.getByTestId("option-21"));
    await user.click(screen.getByTestId("ingredient-31"));
    await user.click(screen.getByTestId("qty-plus"));
    expect(add).toHaveTextContent("€23.60");
    await user.click(add);

    await vi.waitFor(() => expect(onAdded).toHaveBeenCalled());
    const [request] = await sent();
    expect(request).toMatchObject({
      method: "POST",
      path: "/api/guest/tok/cart/lines",
      auth: null,
      body: {
        product_id: 2,
        quantity: 2,
        option_ids: [21],
        removed_ingredient_ids: [31],
        choice_ids: [51],
        note: null,
        nickname: "Anna",
      },
    });
    // The answer is the table's cart: it becomes the phone's cart at once.
    expect(tableStore.get().cart?.lines).toHaveLength(1);
  });

  it("says so plainly when the dish has just run out", async () => {
    appliance.mockResolvedValue(json(409, { detail: "Souvlaki is not available", code: "PRODUCT_UNAVAILABLE" }));
    const { user, onAdded } = renderSheet();
    await user.click(screen.getByTestId("choice-52"));
    await user.click(screen.getByTestId("add-to-cart"));
    expect(await screen.findByTestId("add-error")).toHaveTextContent("Sorry, this has just run out.");
    expect(onAdded).not.toHaveBeenCalled();
  });

  it("speaks Greek with the Greek names", () => {
    setLang("el");
    renderSheet();
    expect(screen.getByRole("dialog", { name: "Σουβλάκι" })).toBeInTheDocument();
    expect(screen.getByText("Ψήσιμο")).toBeInTheDocument();
    expect(screen.getByTestId("add-to-cart")).toHaveTextContent("Στο καλάθι");
  });
});

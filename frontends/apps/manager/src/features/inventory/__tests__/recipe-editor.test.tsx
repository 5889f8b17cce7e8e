import { json, serve, writes } from "../../../test/stub-appliance";
import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Route, Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { appliance } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { InventoryScreen } from "../components/inventory-screen";
import { FETA, KITCHEN, OIL, PITA, SALAD } from "./fixtures";

afterEach(() => appliance.mockReset());

function stub() {
  const recipe = {
    product_id: SALAD.id,
    lines: [{ stock_item_id: FETA.id, name: FETA.name, unit: "g", quantity: 150, unit_cost: 1200 }],
    options: [],
    cost: 180,
  };
  serve({
    "GET /api/system/info": () => json(200, { restaurant_name: "Taverna", currency: "EUR", timezone: "UTC" }),
    "GET /api/products/": () => json(200, [SALAD]),
    "GET /api/products/categories": () => json(200, [KITCHEN]),
    "GET /api/inventory/items": () => json(200, [FETA, OIL, PITA]),
    "GET /api/products/7/recipe": () => json(200, recipe),
    "PUT /api/products/7/recipe": async (request) => {
      const body = (await request.clone().json()) as { lines: { quantity: number }[] };
      return json(200, { ...recipe, cost: body.lines.length ? 297 : null });
    },
  });
}

function renderRecipes() {
  const location = memoryLocation({ path: "/inventory/recipes?product=7", record: true });
  return renderWithQueries(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <Route path="/inventory" nest>
        <InventoryScreen />
      </Route>
    </Router>,
  );
}

describe("the recipe editor", () => {
  it("shows the unit's stock cost and the margin over the price as lines are typed, and saves base units", async () => {
    stub();
    const user = renderRecipes();
    const summary = await screen.findByTestId("recipe-summary");
    // 150 g of feta at €12.00/kg: €1.80 of a €9.00 salad, €7.20 (80.0 %) left.
    expect(within(summary).getByTestId("recipe-summary-cost")).toHaveTextContent("€1.80");
    expect(within(summary).getByTestId("recipe-summary-margin")).toHaveTextContent("€7.20 (80.0 %)");
    expect(screen.getByTestId("recipe-product-86")).toHaveTextContent("86 — out of stock");

    // Oil typed in litres on a grams-first form: 0.02 l is 20 ml at €8.50/l, €0.17 more.
    await user.click(screen.getByTestId("recipe-line-add"));
    await user.selectOptions(screen.getByTestId("recipe-line-item-1"), String(OIL.id));
    await user.type(screen.getByTestId("recipe-line-qty-1"), "0.02 l");
    expect(within(summary).getByTestId("recipe-summary-cost")).toHaveTextContent("€1.97");
    expect(within(summary).getByTestId("recipe-summary-margin")).toHaveTextContent("€7.03 (78.1 %)");

    // A piece without a cost: the unit's cost is unknown, and the form says which item lacks one.
    await user.click(screen.getByTestId("recipe-line-add"));
    await user.selectOptions(screen.getByTestId("recipe-line-item-2"), String(PITA.id));
    await user.type(screen.getByTestId("recipe-line-qty-2"), "1");
    expect(within(summary).getByTestId("recipe-summary-cost")).toHaveTextContent("—");
    expect(within(summary).getByTestId("recipe-summary-margin")).toHaveTextContent("—");
    expect(summary).toHaveTextContent("No cost yet for Pita");
    await user.click(screen.getByTestId("recipe-line-remove-2"));

    // What an option adds, against its extra price: 50 g more feta (€0.60) on a €1.50 option.
    const option = screen.getByTestId("recipe-option-11");
    await user.click(within(option).getByTestId("option-11-line-add"));
    await user.selectOptions(within(option).getByTestId("option-11-line-item-0"), String(FETA.id));
    await user.type(within(option).getByTestId("option-11-line-qty-0"), "50");
    expect(within(option).getByTestId("option-11-summary-margin")).toHaveTextContent("€0.90 (60.0 %)");

    await user.click(screen.getByTestId("recipe-save"));
    await screen.findByTestId("recipe-saved");
    expect((await writes()).at(-1)).toEqual({
      method: "PUT",
      path: "/api/products/7/recipe",
      body: {
        lines: [
          { stock_item_id: FETA.id, quantity: 150 },
          { stock_item_id: OIL.id, quantity: 20 },
        ],
        options: [{ option_id: 11, lines: [{ stock_item_id: FETA.id, quantity: 50 }] }],
      },
    });
  });

  it("refuses a quantity finer than the unit and sends nothing", async () => {
    stub();
    const user = renderRecipes();
    await screen.findByTestId("recipe-summary");
    const quantity = screen.getByTestId("recipe-line-qty-0");
    await user.clear(quantity);
    await user.type(quantity, "0.1505 kg");
    await user.click(screen.getByTestId("recipe-save"));
    expect(await screen.findByText(/at most 3 decimals in kg/i)).toBeVisible();
    await waitFor(async () => expect(await writes()).toEqual([]));
  });
});

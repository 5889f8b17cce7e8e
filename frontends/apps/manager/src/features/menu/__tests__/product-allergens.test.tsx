// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import type { Schemas } from "@tavolo/api";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ProductDialog } from "../components/product-dialog";

const CATEGORY: Schemas["CategoryRead"] = {
  id: 2,
  name: "Pies",
  name_en: null,
  color: "#607d8b",
  sort_order: 0,
  printer_zone_id: null,
  tax_rate_bp: null,
  is_active: true,
};

const PIE: Schemas["ProductRead"] = {
  id: 7,
  category_id: 2,
  name: "Spinach pie",
  name_en: null,
  description: null,
  base_price: 600,
  is_available: true,
  unavailable_reason: null,
  is_archived: false,
  printer_zone_id: null,
  tax_rate_bp: null,
  image_url: null,
  sort_order: 0,
  allergens: ["gluten", "milk"],
  options: [],
  ingredients: [],
  preference_sets: [],
};

beforeEach(() => {
  appliance.mockReset();
  serve({
    "GET /api/system/info": () => json(200, { restaurant_name: "Tavolo", currency: "EUR" }),
    "PUT /api/products/7": () => json(200, PIE),
  });
});

function open() {
  return renderWithQueries(
    <ProductDialog
      product={PIE}
      categories={[CATEGORY]}
      printers={[]}
      defaultCategoryId={2}
      nextSortOrder={() => 0}
      onClose={vi.fn()}
    />,
  );
}

describe("the product editor's allergens", () => {
  it("offers the fourteen as checkboxes in an Allergens group, the product's own ticked", () => {
    open();
    const group = screen.getByRole("group", { name: "Allergens" });
    const boxes = within(group).getAllByRole("checkbox");
    expect(boxes).toHaveLength(14);
    expect(within(group).getByLabelText("Gluten")).toBeChecked();
    expect(within(group).getByLabelText("Milk")).toBeChecked();
    expect(within(group).getByLabelText("Sesame")).not.toBeChecked();
  });

  it("sends the ticked ones in the canonical order", async () => {
    const user = open();
    const group = screen.getByRole("group", { name: "Allergens" });
    await user.click(within(group).getByLabelText("Sesame"));
    await user.click(within(group).getByLabelText("Gluten"));
    await user.click(within(group).getByLabelText("Eggs"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(async () => expect(await writes()).toHaveLength(1));
    const [write] = await writes();
    expect(write).toMatchObject({
      method: "PUT",
      path: "/api/products/7",
      body: { allergens: ["eggs", "milk", "sesame"] },
    });
  });
});

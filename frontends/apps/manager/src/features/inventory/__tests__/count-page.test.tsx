import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Route, Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { renderWithQueries } from "../../../test/render";
import { InventoryScreen } from "../components/inventory-screen";
import { FETA, OIL, PITA } from "./fixtures";

afterEach(() => appliance.mockReset());

function renderCount() {
  serve({
    "GET /api/system/info": () => json(200, { restaurant_name: "Taverna", currency: "EUR", timezone: "UTC" }),
    "GET /api/inventory/items": () => json(200, [FETA, OIL, PITA]),
    "POST /api/inventory/counts": () =>
      json(201, [
        { stock_item_id: FETA.id, name: FETA.name, previous: 1250, counted: 1100, delta: -150 },
        { stock_item_id: OIL.id, name: OIL.name, previous: 5000, counted: 5000, delta: 0 },
      ]),
  });
  const location = memoryLocation({ path: "/inventory/count" });
  return renderWithQueries(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <Route path="/inventory" nest>
        <InventoryScreen />
      </Route>
    </Router>,
  );
}

describe("a stock take", () => {
  it("shows each difference as typed and again before saving, then saves the counts with the reason", async () => {
    const user = renderCount();
    await user.type(await screen.findByTestId(`count-input-${FETA.id}`), "1.1");
    expect(within(screen.getByTestId(`count-row-${FETA.id}`)).getByTestId("count-delta")).toHaveTextContent(
      "-150 g",
    );
    await user.type(screen.getByTestId(`count-input-${OIL.id}`), "5 l");
    await user.type(screen.getByTestId("count-reason"), "Weekly count");
    await user.click(screen.getByTestId("count-review"));

    const dialog = await screen.findByTestId("count-confirm");
    expect(dialog).toHaveTextContent("1 item changes");
    expect(within(dialog).getByTestId(`count-difference-${FETA.id}`)).toHaveTextContent(
      /Feta\s*1\.25 kg\s*1\.1 kg\s*-150 g/,
    );
    expect(within(dialog).getByTestId(`count-difference-${OIL.id}`)).toHaveTextContent("no change");
    // Pita was not counted: it is not part of the count.
    expect(within(dialog).queryByTestId(`count-difference-${PITA.id}`)).toBeNull();
    expect(await writes()).toEqual([]);

    await user.click(screen.getByTestId("count-confirm-confirm"));
    expect(await screen.findByTestId("count-saved")).toHaveTextContent("2 items counted, 1 changed");
    expect(await writes()).toEqual([
      {
        method: "POST",
        path: "/api/inventory/counts",
        body: {
          reason: "Weekly count",
          lines: [
            { stock_item_id: FETA.id, counted: 1100 },
            { stock_item_id: OIL.id, counted: 5000 },
          ],
        },
      },
    ]);
  });

  it("asks for a reason and a readable figure before showing anything to confirm", async () => {
    const user = renderCount();
    await user.type(await screen.findByTestId(`count-input-${PITA.id}`), "12.5");
    await user.click(screen.getByTestId("count-review"));
    expect(await screen.findByText(/whole pieces only/i)).toBeVisible();
    expect(screen.getByText(/say why you counted/i)).toBeVisible();
    expect(screen.queryByTestId("count-confirm")).toBeNull();
  });
});

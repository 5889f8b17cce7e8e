import { render, screen } from "@testing-library/react";
import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { applyMessage, EMPTY_BOARD } from "../../../lib/board";
import { boardStore } from "../../../lib/live";
import { event, item, snapshot, ticket } from "../../../shared/test-data/tickets";
import { AllDayPanel } from "../components/all-day-panel";

describe("the all-day panel", () => {
  afterEach(() => boardStore.set(EMPTY_BOARD));

  it("counts what is still to make, most first, and follows the board", () => {
    boardStore.set(
      applyMessage(
        EMPTY_BOARD,
        snapshot([
          ticket(1, [item(11, { product_name: "Souvlaki", quantity: 2 }), item(12, { product_name: "Salad" })]),
          ticket(2, [item(21, { product_name: "Souvlaki" }), item(22, { product_name: "Octopus", held: true })]),
        ]),
      ),
    );
    render(<AllDayPanel />);
    const rows = screen.getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual(["3Souvlaki", "1Salad"]);
    expect(screen.getByTestId("all-day-Souvlaki")).toHaveAttribute("data-count", "3");
    expect(screen.queryByTestId("all-day-Octopus")).toBeNull();

    act(() => {
      boardStore.set((board) =>
        applyMessage(board, event("kitchen.item_voided", 11, { item_id: 11, ticket_id: 1, status: "cancelled" })),
      );
    });
    expect(screen.getByTestId("all-day-Souvlaki")).toHaveAttribute("data-count", "1");
  });

  it("says when there is nothing to make", () => {
    render(<AllDayPanel />);
    expect(screen.getByTestId("all-day")).toHaveTextContent("Nothing to make");
  });
});

// The sent items list on its own: what each row tells the waiter beyond the dish.
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { orderItem } from "../../../shared/test-data/order-data";
import { SentItems } from "../components/sent-items";

afterEach(cleanup);

describe("SentItems", () => {
  it("tags an item a guest ordered from the table's QR code with their nickname, and a waiter's item not", () => {
    render(
      <SentItems
        items={[
          orderItem({ id: 1, product_name: "Soup", guest_nickname: "Anna" }),
          orderItem({ id: 2, product_name: "Bread", guest_nickname: null }),
          orderItem({ id: 3, product_name: "Wine" }),
        ]}
        currency="EUR"
        payPending={new Set()}
      />,
    );
    const tag = within(screen.getByTestId("item-1")).getByText("Guest: Anna");
    expect(tag).toHaveClass("ord-chip--guest");
    expect(screen.getByTestId("item-2")).not.toHaveTextContent(/guest/i);
    expect(screen.getByTestId("item-3")).not.toHaveTextContent(/guest/i);
    expect(screen.queryAllByTestId(/^item-guest-/)).toHaveLength(1);
  });
});

import { appliance, json, sent } from "../../../test/stub-appliance";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLang } from "../../../lib/i18n";
import { tableStore } from "../../../lib/live";
import { cart, cartLine } from "../../../test/menu-data";
import { renderWithQueries } from "../../../test/render";
import { Cart } from "../components/cart";

function renderCart(onSent = vi.fn()) {
  const user = renderWithQueries(
    <Cart token="tok" currency="EUR" nickname="Anna" ordering="confirm" canOrder onSent={onSent} />,
  );
  return { user, onSent };
}

describe("the shared cart", () => {
  beforeEach(() => {
    appliance.mockReset();
    setLang("en");
    tableStore.set({ cart: cart(5, [cartLine(1, "Anna", 2), cartLine(2, "Nikos")]), order: null });
  });

  it("shows how many and how much, and who added each line", async () => {
    const { user } = renderCart();
    expect(screen.getByTestId("cart-count")).toHaveTextContent("3 items");
    expect(screen.getByTestId("cart-total")).toHaveTextContent("€33.00");
    await user.click(screen.getByTestId("cart-bar"));
    const lines = screen.getAllByTestId("cart-line");
    expect(within(lines[0]!).getByTestId("cart-line-who")).toHaveTextContent("added by Anna (you)");
    expect(within(lines[1]!).getByTestId("cart-line-who")).toHaveTextContent("added by Nikos");
  });

  it("changes a quantity on the server and shows the server's cart", async () => {
    appliance.mockResolvedValue(json(200, cart(6, [cartLine(1, "Anna", 2), cartLine(2, "Nikos", 2)])));
    const { user } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    await user.click(within(screen.getAllByTestId("cart-line")[1]!).getByTestId("line-plus"));
    await vi.waitFor(() => expect(screen.getByTestId("cart-count")).toHaveTextContent("4 items"));
    expect((await sent())[0]).toMatchObject({
      method: "PATCH",
      path: "/api/guest/tok/cart/lines/2",
      body: { quantity: 2 },
    });
  });

  it("sends with the cart's version and asks for a new look when someone changed it", async () => {
    appliance.mockResolvedValue(json(409, { detail: "The cart changed", code: "CART_CHANGED" }));
    const { user, onSent } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    expect(screen.getByTestId("send-cart")).toHaveTextContent("Send to your waiter");
    await user.click(screen.getByTestId("send-cart"));
    expect(await screen.findByTestId("cart-error")).toHaveTextContent("Someone at your table just changed the cart");
    expect((await sent())[0]).toMatchObject({
      method: "POST",
      path: "/api/guest/tok/submit",
      body: { nickname: "Anna", cart_version: 5 },
    });
    expect(onSent).not.toHaveBeenCalled();
  });

  it("explains the rate limit and the size limit", async () => {
    appliance.mockResolvedValueOnce(json(429, { detail: "slow down", code: "GUEST_RATE_LIMITED" }));
    const { user } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    await user.click(screen.getByTestId("send-cart"));
    expect(await screen.findByTestId("cart-error")).toHaveTextContent("wait a minute");
    appliance.mockResolvedValueOnce(json(422, { detail: "too many", code: "TOO_MANY_ITEMS" }));
    await user.click(screen.getByTestId("send-cart"));
    await vi.waitFor(() => expect(screen.getByTestId("cart-error")).toHaveTextContent("send fewer items"));
  });
});

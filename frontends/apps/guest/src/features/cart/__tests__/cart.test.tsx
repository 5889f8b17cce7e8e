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

  it("sends a tap on + as one more, and shows the server's cart", async () => {
    // Another phone tapped + at the same moment: the server counted both, and its answer is what shows.
    appliance.mockResolvedValue(json(200, cart(7, [cartLine(1, "Anna", 2), cartLine(2, "Nikos", 3)])));
    const { user } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    await user.click(within(screen.getAllByTestId("cart-line")[1]!).getByTestId("line-plus"));
    await vi.waitFor(() => expect(screen.getByTestId("cart-count")).toHaveTextContent("5 items"));
    expect(within(screen.getAllByTestId("cart-line")[1]!).getByTestId("line-quantity")).toHaveTextContent("3");
    const requests = await sent();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual(
      expect.objectContaining({ method: "PATCH", path: "/api/guest/tok/cart/lines/2", body: { delta: 1 } }),
    );
  });

  it("sends a tap on − as one less, never a quantity it saw", async () => {
    appliance.mockResolvedValue(json(200, cart(6, [cartLine(1, "Anna", 1), cartLine(2, "Nikos")])));
    const { user } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    await user.click(within(screen.getAllByTestId("cart-line")[0]!).getByTestId("line-minus"));
    await vi.waitFor(() => expect(screen.getByTestId("cart-count")).toHaveTextContent("2 items"));
    expect((await sent())[0]).toEqual(
      expect.objectContaining({ method: "PATCH", path: "/api/guest/tok/cart/lines/1", body: { delta: -1 } }),
    );
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

describe("a line that sold out after it was added", () => {
  const soldOutCart = () => cart(5, [cartLine(1, "Anna", 2, { available: false }), cartLine(2, "Nikos")]);

  beforeEach(() => {
    appliance.mockReset();
    tableStore.set({ cart: soldOutCart(), order: null });
  });

  it.each([
    ["en", "Sold out — remove it to send", "Something in the cart has sold out"],
    ["el", "Εξαντλήθηκε — αφαιρέστε το για αποστολή", "Κάτι στο καλάθι εξαντλήθηκε"],
  ] as const)("is marked sold out in %s and holds the send back until it is removed", async (lang, label, reason) => {
    setLang(lang);
    appliance.mockResolvedValue(json(200, cart(6, [cartLine(2, "Nikos")])));
    const { user } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    const [gone, fine] = screen.getAllByTestId("cart-line");
    expect(gone).toHaveAttribute("data-available", "false");
    expect(within(gone!).getByTestId("line-sold-out")).toHaveTextContent(label);
    expect(within(gone!).getByTestId("line-plus")).toBeDisabled();
    expect(within(fine!).queryByTestId("line-sold-out")).toBeNull();
    expect(screen.getByTestId("send-cart")).toBeDisabled();
    expect(screen.getByTestId("cart-sold-out")).toHaveTextContent(reason);

    await user.click(within(gone!).getByTestId("line-remove"));
    await vi.waitFor(() => expect(screen.getAllByTestId("cart-line")).toHaveLength(1));
    expect(screen.getByTestId("send-cart")).toBeEnabled();
    expect(screen.queryByTestId("cart-sold-out")).toBeNull();
    expect((await sent())[0]).toMatchObject({ method: "DELETE", path: "/api/guest/tok/cart/lines/1" });
  });

  it.each([
    ["en", "Something in the cart has just sold out"],
    ["el", "Κάτι στο καλάθι μόλις εξαντλήθηκε"],
  ] as const)("when the send is refused for it, says so in %s with the server's words", async (lang, message) => {
    setLang(lang);
    // This phone has not heard of the 86 yet: its cart still says available.
    tableStore.set({ cart: cart(5, [cartLine(1, "Anna", 2), cartLine(2, "Nikos")]), order: null });
    const detail = "Σουβλάκι: no longer available; remove it from the cart";
    appliance.mockImplementation(async (request) =>
      request.method === "POST"
        ? json(409, { detail, code: "PRODUCT_UNAVAILABLE" })
        : json(200, soldOutCart()),
    );
    const { user, onSent } = renderCart();
    await user.click(screen.getByTestId("cart-bar"));
    await user.click(screen.getByTestId("send-cart"));
    const banner = await screen.findByTestId("cart-error");
    expect(banner).toHaveAttribute("data-code", "PRODUCT_UNAVAILABLE");
    expect(banner).toHaveTextContent(message);
    // The appliance's English detail is for staff, never shown to diners (lib/errors.ts).
    expect(banner).not.toHaveTextContent(detail);
    // The cart is read again, so the line shows what sold out and the send waits for its removal.
    await vi.waitFor(() =>
      expect(screen.getAllByTestId("cart-line")[0]).toHaveAttribute("data-available", "false"),
    );
    expect(screen.getByTestId("send-cart")).toBeDisabled();
    expect((await sent()).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/guest/tok/submit",
      "GET /api/guest/tok/cart",
    ]);
    expect(onSent).not.toHaveBeenCalled();
  });
});

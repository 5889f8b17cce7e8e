import type { OrderItemCreate } from "@tavolo/api";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProductSheet } from "../components/product-sheet";
import { souvlaki } from "./menu-data";

afterEach(cleanup);

function open(initial?: OrderItemCreate) {
  const onSubmit = vi.fn<(item: OrderItemCreate) => void>();
  render(
    <ProductSheet product={souvlaki} currency="EUR" initial={initial} onSubmit={onSubmit} onClose={() => {}} />,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe("ProductSheet", () => {
  it("blocks adding until the required preference is chosen", async () => {
    const { onSubmit, user } = open();
    const add = screen.getByTestId("add-to-draft");
    expect(add).toBeDisabled();
    expect(screen.getByText("Choose Meat")).toBeInTheDocument();

    await user.click(screen.getByTestId("choice-42"));
    expect(add).toBeEnabled();
    await user.click(add);
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ product_id: souvlaki.id, choice_ids: [42] }));
  });

  it("sends options, removals, quantity, seat, course and note", async () => {
    const { onSubmit, user } = open();
    await user.click(screen.getByTestId("choice-41"));
    await user.click(screen.getByTestId("option-11"));
    await user.click(screen.getByTestId("ingredient-21"));
    expect(screen.getByText("no Onion")).toBeInTheDocument();
    await user.click(screen.getByTestId("qty-plus"));
    await user.click(screen.getByTestId("qty-plus"));
    await user.click(screen.getByTestId("qty-minus"));
    expect(screen.getByTestId("qty-value")).toHaveTextContent("2");
    await user.type(screen.getByTestId("seat-input"), "3");
    await user.clear(screen.getByTestId("course-input"));
    await user.type(screen.getByTestId("course-input"), "2");
    await user.type(screen.getByTestId("note-input"), "well done");
    // (350 + 50) × 2
    expect(screen.getByTestId("add-to-draft")).toHaveTextContent("€8.00");
    await user.click(screen.getByTestId("add-to-draft"));
    expect(onSubmit).toHaveBeenCalledWith({
      product_id: souvlaki.id,
      quantity: 2,
      option_ids: [11],
      removed_ingredient_ids: [21],
      choice_ids: [41],
      note: "well done",
      seat: 3,
      course: 2,
    });
  });

  it("lets an optional preference go back to none", async () => {
    const { onSubmit, user } = open();
    await user.click(screen.getByTestId("choice-41"));
    await user.click(screen.getByTestId("choice-43"));
    await user.click(screen.getByTestId("choice-none-32"));
    await user.click(screen.getByTestId("add-to-draft"));
    expect(onSubmit.mock.calls[0]?.[0].choice_ids).toEqual([41]);
  });

  it("puts a new line in course 1 unless the waiter picks another (later courses are held)", async () => {
    const { onSubmit, user } = open();
    expect(screen.getByTestId("course-input")).toHaveValue("1");
    await user.click(screen.getByTestId("choice-41"));
    await user.click(screen.getByTestId("add-to-draft"));
    expect(onSubmit.mock.calls[0]?.[0].course).toBe(1);
  });

  it("refuses a course outside 1–9", async () => {
    const { user } = open();
    await user.click(screen.getByTestId("choice-41"));
    await user.clear(screen.getByTestId("course-input"));
    await user.type(screen.getByTestId("course-input"), "12");
    expect(screen.getByTestId("add-to-draft")).toBeDisabled();
    expect(screen.getByRole("alert")).toHaveTextContent("Course is a number from 1 to 9.");
  });

  it("opens an edited line with its choices", () => {
    open({ product_id: souvlaki.id, quantity: 4, course: 3, choice_ids: [42], option_ids: [11], note: "x", seat: 1 });
    expect(screen.getByTestId("choice-42")).toBeChecked();
    expect(screen.getByTestId("option-11")).toBeChecked();
    expect(screen.getByTestId("qty-value")).toHaveTextContent("4");
    expect(screen.getByTestId("course-input")).toHaveValue("3");
    expect(screen.getByTestId("add-to-draft")).toHaveTextContent("Update");
  });
});

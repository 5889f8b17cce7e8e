import { ApiError } from "@tavolo/api";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "../confirm-dialog";

describe("the confirmation before a destructive action", () => {
  it("confirms, and shows a refusal inside under the dialog's own test ids", async () => {
    const onConfirm = vi.fn();
    const refusal = new ApiError(409, "CATEGORY_NOT_EMPTY", "Products still belong to this category");
    render(
      <ConfirmDialog
        title="Delete Drinks?"
        confirmLabel="Delete category"
        cancelLabel="Keep it"
        busy={false}
        error={refusal}
        onConfirm={onConfirm}
        onClose={() => {}}
        testId="category-delete-dialog"
      >
        <p>Only an empty category can be deleted.</p>
      </ConfirmDialog>,
    );
    await userEvent.setup().click(screen.getByTestId("category-delete-dialog-confirm"));
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(screen.getByRole("button", { name: "Keep it" })).toBeInTheDocument();
    expect(screen.getByTestId("category-delete-dialog-error")).toHaveTextContent(refusal.message);
  });

  it("uses the generic test ids without one, and shows no error before a refusal", () => {
    render(
      <ConfirmDialog
        title="Unpair Grill?"
        confirmLabel="Unpair"
        busy={false}
        error={null}
        onConfirm={() => {}}
        onClose={() => {}}
      >
        <p>The screen stops showing tickets.</p>
      </ConfirmDialog>,
    );
    expect(screen.getByTestId("confirm-dialog")).toBeInTheDocument();
    expect(screen.getByTestId("confirm-action")).toHaveTextContent("Unpair");
    expect(screen.getByRole("button", { name: "Cancel" })).toBeInTheDocument();
    expect(screen.queryByTestId("confirm-error")).not.toBeInTheDocument();
  });
});

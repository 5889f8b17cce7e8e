import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Sheet } from "../components/sheet";

afterEach(cleanup);

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <Sheet open={open} onClose={() => setOpen(false)} title="Guests" footer={<button type="button">Go</button>}>
        <input aria-label="guests" />
      </Sheet>
    </>
  );
}

function Nested() {
  const [outer, setOuter] = useState(false);
  const [inner, setInner] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOuter(true)}>
        Open
      </button>
      <Sheet open={outer} onClose={() => setOuter(false)} title="Outer" data-testid="outer">
        <button type="button" onClick={() => setInner(true)}>
          More
        </button>
      </Sheet>
      <Sheet open={inner} onClose={() => setInner(false)} title="Inner" data-testid="inner">
        <p>inside</p>
      </Sheet>
    </>
  );
}

function Busy({ onClose }: { onClose: () => void }) {
  return (
    <Sheet open dismissible={false} onClose={onClose} title="Sending">
      <p>wait</p>
    </Sheet>
  );
}

/** The body child a sheet was portalled into. */
const layerOf = (testId: string) => screen.getByTestId(testId).closest(".ui-sheet");

describe("Sheet", () => {
  it("is a labelled modal dialog that takes focus", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.click(screen.getByText("Open"));
    const dialog = screen.getByRole("dialog", { name: "Guests" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveFocus();
  });

  it("closes on Escape and gives focus back", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByText("Open"));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByText("Open")).toHaveFocus();
  });

  it("closes on a tap on the backdrop but not on a tap inside", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByText("Open"));
    await user.click(screen.getByLabelText("guests"));
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    await user.click(screen.getByTestId("sheet-backdrop"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("keeps Tab inside the dialog", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByText("Open"));
    await user.tab();
    expect(screen.getByRole("button", { name: "Close" })).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText("guests")).toHaveFocus();
    await user.tab();
    expect(screen.getByText("Go")).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Close" })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByText("Go")).toHaveFocus();
  });

  it("makes the rest of the page inert while open and restores it on close", async () => {
    const user = userEvent.setup();
    const { container } = render(<Harness />);
    const outside = document.createElement("div");
    const alreadyInert = document.createElement("div");
    alreadyInert.setAttribute("inert", "");
    document.body.append(outside, alreadyInert);
    try {
      await user.click(screen.getByText("Open"));
      const layer = screen.getByRole("dialog").closest(".ui-sheet");
      expect(container).toHaveAttribute("inert");
      expect(outside).toHaveAttribute("inert");
      expect(layer).not.toHaveAttribute("inert");

      await user.keyboard("{Escape}");
      expect(container).not.toHaveAttribute("inert");
      expect(outside).not.toHaveAttribute("inert");
      // Inert for its own reasons: not ours to undo.
      expect(alreadyInert).toHaveAttribute("inert");
      expect(screen.getByText("Open")).toHaveFocus();
    } finally {
      outside.remove();
      alreadyInert.remove();
    }
  });

  it("leaves only the top sheet live when one opens another", async () => {
    const user = userEvent.setup();
    const { container } = render(<Nested />);
    await user.click(screen.getByText("Open"));
    await user.click(screen.getByText("More"));
    expect(layerOf("inner")).not.toHaveAttribute("inert");
    expect(layerOf("outer")).toHaveAttribute("inert");
    expect(container).toHaveAttribute("inert");

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("inner")).not.toBeInTheDocument();
    expect(layerOf("outer")).not.toHaveAttribute("inert");
    expect(container).toHaveAttribute("inert");
    expect(screen.getByText("More")).toHaveFocus();

    await user.keyboard("{Escape}");
    expect(container).not.toHaveAttribute("inert");
  });

  it("cannot be dismissed while it says so", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(<Busy onClose={onClose} />);
    await user.click(screen.getByTestId("sheet-backdrop"));
    await user.keyboard("{Escape}");
    expect(screen.getByRole("button", { name: "Close" })).toBeDisabled();
    expect(onClose).not.toHaveBeenCalled();
  });
});

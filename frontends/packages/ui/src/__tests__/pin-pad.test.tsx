import "@testing-library/jest-dom/vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PinPad } from "../components/pin-pad";

afterEach(cleanup);

function Harness({ onSubmit, maxLength }: { onSubmit?: () => void; maxLength?: number }) {
  const [pin, setPin] = useState("");
  return (
    <>
      <input aria-label="username" />
      <PinPad value={pin} onChange={setPin} onSubmit={onSubmit} maxLength={maxLength} />
      <div data-testid="value">{pin}</div>
    </>
  );
}

describe("PinPad", () => {
  it("builds the PIN from taps and deletes the last digit", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    for (const digit of ["1", "2", "3", "4"]) await user.click(screen.getByTestId(`pin-key-${digit}`));
    expect(screen.getByTestId("value")).toHaveTextContent("1234");
    await user.click(screen.getByTestId("pin-key-back"));
    expect(screen.getByTestId("value")).toHaveTextContent("123");
  });

  it("shows dots, never the digits", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByTestId("pin-key-7"));
    await user.click(screen.getByTestId("pin-key-0"));
    const display = screen.getByTestId("pin-display");
    expect(display).toHaveAttribute("data-length", "2");
    expect(display).not.toHaveTextContent("7");
    expect(display.querySelectorAll(".ui-pinpad__dot--on")).toHaveLength(2);
    expect(screen.getByRole("status")).toHaveTextContent("2 digits entered");
  });

  it("stops at the maximum length", async () => {
    const user = userEvent.setup();
    render(<Harness maxLength={4} />);
    for (let i = 0; i < 6; i++) await user.click(screen.getByTestId("pin-key-9"));
    expect(screen.getByTestId("value")).toHaveTextContent(/^9999$/);
  });

  it("takes digits, Backspace and Enter from a physical keyboard", () => {
    const onSubmit = vi.fn();
    render(<Harness onSubmit={onSubmit} />);
    for (const key of ["5", "6", "x", "7"]) fireEvent.keyDown(document.body, { key });
    expect(screen.getByTestId("value")).toHaveTextContent(/^567$/);
    fireEvent.keyDown(document.body, { key: "Backspace" });
    expect(screen.getByTestId("value")).toHaveTextContent(/^56$/);
    fireEvent.keyDown(document.body, { key: "Enter" });
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it("leaves digits typed into a text field alone", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText("username"), "nikos2");
    expect(screen.getByLabelText("username")).toHaveValue("nikos2");
    expect(screen.getByTestId("value")).toHaveTextContent(/^$/);
  });
});

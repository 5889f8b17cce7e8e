import "@testing-library/jest-dom/vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StaffPinForm, type StaffPinCredentials, type StaffPinFormProps } from "../components/staff-pin-form";

afterEach(cleanup);

function renderForm(props: Partial<StaffPinFormProps> = {}) {
  const onSubmit = props.onSubmit ?? vi.fn(() => Promise.resolve());
  render(<StaffPinForm submitLabel="Log in" {...props} onSubmit={onSubmit} />);
  return { onSubmit, user: userEvent.setup() };
}

async function tapPin(user: ReturnType<typeof userEvent.setup>, pin: string) {
  for (const digit of pin) await user.click(screen.getByTestId(`pin-key-${digit}`));
}

describe("StaffPinForm", () => {
  it("sends the username and PIN as typed", async () => {
    const { onSubmit, user } = renderForm();
    await user.type(screen.getByRole("textbox", { name: "Username" }), "maria");
    await tapPin(user, "1111");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith({ username: "maria", pin: "1111" });
  });

  it("asks for the username first, marks the field and moves the cursor there", async () => {
    const { onSubmit, user } = renderForm({ whose: "the manager's" });
    await tapPin(user, "1234");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Enter the manager's username.");
    const field = screen.getByRole("textbox", { name: "Username" });
    expect(field).toHaveFocus();
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription("Enter the manager's username.");
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("asks for a PIN of 4 to 8 digits before sending a short one", async () => {
    const { onSubmit, user } = renderForm({ initialUsername: "maria" });
    await tapPin(user, "12");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Enter your PIN (4–8 digits).");
    expect(screen.getByRole("textbox", { name: "Username" })).not.toHaveAttribute("aria-invalid");
    expect(onSubmit).not.toHaveBeenCalled();
    // Typing again takes the hint away.
    await tapPin(user, "3");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("takes Enter in the username field with no PIN yet as Next: the PIN pad takes over", async () => {
    const { onSubmit, user } = renderForm();
    const field = screen.getByRole("textbox", { name: "Username" });
    await user.type(field, "nikos{Enter}");
    expect(field).not.toHaveFocus();
    expect(screen.queryByRole("alert")).toBeNull();
    await user.keyboard("2222{Enter}");
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith({ username: "nikos", pin: "2222" });
  });

  it("clears the PIN when the attempt is refused, and shows why", async () => {
    const onSubmit = vi.fn(() => Promise.reject(new Error("refused")));
    const { user } = renderForm({ onSubmit, initialUsername: "maria", error: "Wrong username or PIN." });
    expect(screen.getByRole("alert")).toHaveTextContent("Wrong username or PIN.");
    expect(screen.getByRole("textbox", { name: "Username" })).toHaveAccessibleDescription("Wrong username or PIN.");
    await tapPin(user, "9999");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(screen.getByTestId("pin-display")).toHaveAttribute("data-length", "0");
  });

  it("ignores another submit while the first is under way", async () => {
    const onSubmit = vi.fn((_credentials: StaffPinCredentials) => new Promise<never>(() => undefined));
    function Harness() {
      const [busy, setBusy] = useState(false);
      return (
        <StaffPinForm
          submitLabel="Log in"
          initialUsername="maria"
          aria-label="Sign in"
          busy={busy}
          onSubmit={(credentials) => {
            setBusy(true);
            return onSubmit(credentials);
          }}
        />
      );
    }
    render(<Harness />);
    const user = userEvent.setup();
    await tapPin(user, "1111");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByRole("button", { name: "Log in" })).toBeDisabled();
    expect(screen.getByTestId("pin-key-1")).toBeDisabled();
    fireEvent.submit(screen.getByRole("form", { name: "Sign in" }));
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it("names the PIN pad, keeps the given test ids and puts the header inside the form", () => {
    renderForm({
      pinLabel: "Manager PIN",
      header: <h2>Manager sign-in</h2>,
      error: "No",
      "aria-label": "Sign in",
      testIds: { username: "pair-username", error: "pair-error", submit: "pair-login" },
    });
    const form = screen.getByRole("form", { name: "Sign in" });
    expect(form).toContainElement(screen.getByRole("heading", { name: "Manager sign-in" }));
    expect(screen.getByRole("group", { name: "Manager PIN keypad" })).toBeInTheDocument();
    expect(screen.getByTestId("pair-username")).toHaveAttribute("name", "username");
    expect(screen.getByTestId("pair-error")).toHaveTextContent("No");
    expect(screen.getByTestId("pair-login")).toHaveAttribute("type", "submit");
  });

  it("focuses an empty username field when asked, not a remembered one", () => {
    renderForm({ focusUsername: true });
    expect(screen.getByRole("textbox", { name: "Username" })).toHaveFocus();
    cleanup();
    renderForm({ focusUsername: true, initialUsername: "maria" });
    expect(screen.getByRole("textbox", { name: "Username" })).not.toHaveFocus();
  });
});

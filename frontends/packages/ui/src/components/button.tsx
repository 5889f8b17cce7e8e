import type { ButtonHTMLAttributes, Ref } from "react";
import "./button.css";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "normal" | "large";
  /** Full width of its container. */
  block?: boolean;
  /** Shows a spinner and ignores taps, so a slow request cannot be sent twice by an impatient thumb. */
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = "secondary",
  size = "normal",
  block = false,
  busy = false,
  className,
  disabled,
  children,
  type = "button",
  ...rest
}: ButtonProps) {
  const classes = ["ui-button", `ui-button--${variant}`, `ui-button--${size}`];
  if (block) classes.push("ui-button--block");
  if (className) classes.push(className);
  return (
    <button
      {...rest}
      type={type}
      className={classes.join(" ")}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && <span className="ui-button__spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

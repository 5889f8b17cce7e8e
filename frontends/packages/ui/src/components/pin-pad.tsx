import { useEffect, useRef } from "react";
import "./pin-pad.css";

export interface PinPadProps {
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  /** Enter on a physical keyboard. */
  onSubmit?: () => void;
  disabled?: boolean;
  /** Also take digits typed on a physical keyboard (ignored while a text field has focus). */
  captureKeyboard?: boolean;
  label?: string;
}

const ROWS = [
  ["1", "2", "3"],
  ["4", "5", "6"],
  ["7", "8", "9"],
] as const;

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** A PIN keypad: big keys for a thumb, the PIN itself never shown, only how many digits it has. */
export function PinPad({
  value,
  onChange,
  maxLength = 8,
  onSubmit,
  disabled = false,
  captureKeyboard = true,
  label = "PIN",
}: PinPadProps) {
  // The keyboard listener lives as long as the pad; it reads the latest props from here.
  const latest = useRef({ value, onChange, onSubmit, disabled, maxLength });
  useEffect(() => {
    latest.current = { value, onChange, onSubmit, disabled, maxLength };
  });

  function press(digit: string) {
    if (disabled || value.length >= maxLength) return;
    onChange(value + digit);
  }

  function back() {
    if (disabled) return;
    onChange(value.slice(0, -1));
  }

  useEffect(() => {
    if (!captureKeyboard) return;
    function onKeyDown(event: KeyboardEvent) {
      const current = latest.current;
      if (current.disabled || event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target)) return;
      if (/^[0-9]$/.test(event.key)) {
        event.preventDefault();
        if (current.value.length < current.maxLength) current.onChange(current.value + event.key);
      } else if (event.key === "Backspace") {
        event.preventDefault();
        current.onChange(current.value.slice(0, -1));
      } else if (event.key === "Enter" && current.onSubmit) {
        // A focused button handles its own Enter; only a stray Enter submits the PIN.
        if (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement) return;
        event.preventDefault();
        current.onSubmit();
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [captureKeyboard]);

  const slots = Math.max(4, value.length);
  return (
    <div className="ui-pinpad">
      <div className="ui-pinpad__display" data-testid="pin-display" data-length={value.length} aria-hidden="true">
        {Array.from({ length: slots }, (_, index) => (
          <span key={index} className={index < value.length ? "ui-pinpad__dot ui-pinpad__dot--on" : "ui-pinpad__dot"} />
        ))}
      </div>
      <span className="visually-hidden" role="status">
        {`${label}: ${value.length} ${value.length === 1 ? "digit" : "digits"} entered`}
      </span>
      <div className="ui-pinpad__keys" role="group" aria-label={`${label} keypad`}>
        {ROWS.flat().map((digit) => (
          <button
            key={digit}
            type="button"
            className="ui-pinpad__key"
            data-testid={`pin-key-${digit}`}
            disabled={disabled}
            onClick={() => press(digit)}
          >
            {digit}
          </button>
        ))}
        <button
          type="button"
          className="ui-pinpad__key ui-pinpad__key--aux"
          data-testid="pin-key-clear"
          aria-label="Clear PIN"
          disabled={disabled || value.length === 0}
          onClick={() => onChange("")}
        >
          Clear
        </button>
        <button
          type="button"
          className="ui-pinpad__key"
          data-testid="pin-key-0"
          disabled={disabled}
          onClick={() => press("0")}
        >
          0
        </button>
        <button
          type="button"
          className="ui-pinpad__key ui-pinpad__key--aux"
          data-testid="pin-key-back"
          aria-label="Delete last digit"
          disabled={disabled}
          onClick={back}
        >
          ⌫
        </button>
      </div>
    </div>
  );
}

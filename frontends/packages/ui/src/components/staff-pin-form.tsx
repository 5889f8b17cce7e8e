import { useId, useRef, useState, type FormEvent, type FormHTMLAttributes, type ReactNode } from "react";
import { Button } from "./button";
import { FormError } from "./form-error";
import { PinPad } from "./pin-pad";
import "./staff-pin-form.css";

// The appliance's PIN rules; a shorter PIN is not worth a request (and a failed attempt towards the lockout).
const MIN_PIN = 4;
const MAX_PIN = 8;

export interface StaffPinCredentials {
  username: string;
  pin: string;
}

export interface StaffPinFormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit" | "children"> {
  /** Called with a username and a PIN of 4–8 digits. When the returned promise rejects, the PIN is cleared. */
  onSubmit: (credentials: StaffPinCredentials) => Promise<unknown>;
  /** A request is under way: the pad is disabled and a second submit is ignored. */
  busy?: boolean;
  /** Why the last attempt was refused, shown until the next one. */
  error?: string | null;
  submitLabel: string;
  /** Whose credentials the hints ask for: "Enter your username." or "Enter the manager's username.". */
  whose?: string;
  /** Names the PIN pad for a screen reader ("PIN keypad", "Manager PIN keypad"). */
  pinLabel?: string;
  initialUsername?: string;
  /** "off" where the device is shared and must not suggest who signed in last. */
  usernameAutoComplete?: "username" | "off";
  /** Put the cursor in the username field when it is empty. */
  focusUsername?: boolean;
  /** Above the fields: a step title, a notice. */
  header?: ReactNode;
  testIds?: { username?: string; error?: string; submit?: string };
}

/** Username + PIN on a PIN pad: how staff sign in on a waiter's phone and how a manager pairs a kitchen screen. */
export function StaffPinForm({
  onSubmit,
  busy = false,
  error = null,
  submitLabel,
  whose = "your",
  pinLabel,
  initialUsername = "",
  usernameAutoComplete = "username",
  focusUsername = false,
  header,
  testIds = {},
  className,
  ...rest
}: StaffPinFormProps) {
  const [username, setUsername] = useState(initialUsername);
  const [pin, setPin] = useState("");
  const [hint, setHint] = useState<{ text: string; field: "username" | "pin" } | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    if (!username.trim()) {
      setHint({ text: `Enter ${whose} username.`, field: "username" });
      usernameRef.current?.focus();
      return;
    }
    if (pin.length === 0 && document.activeElement === usernameRef.current) {
      // "Next" on a touch keyboard: put the keyboard away so the PIN pad (and a real keyboard's digits) take over.
      usernameRef.current?.blur();
      return;
    }
    if (pin.length < MIN_PIN) {
      setHint({ text: `Enter ${whose} PIN (${MIN_PIN}–${MAX_PIN} digits).`, field: "pin" });
      return;
    }
    setHint(null);
    // A refused PIN is cleared so the next attempt starts from nothing.
    onSubmit({ username, pin }).catch(() => setPin(""));
  }

  const message = hint?.text ?? error;
  return (
    <form {...rest} className={className ? `ui-staff-pin ${className}` : "ui-staff-pin"} onSubmit={submit} noValidate>
      {header}
      <label className="ui-staff-pin__field">
        <span>Username</span>
        <input
          ref={usernameRef}
          data-testid={testIds.username}
          name="username"
          value={username}
          onChange={(event) => {
            setUsername(event.target.value);
            setHint(null);
          }}
          autoCapitalize="off"
          autoCorrect="off"
          autoComplete={usernameAutoComplete}
          spellCheck={false}
          enterKeyHint="next"
          autoFocus={focusUsername && !initialUsername}
          aria-invalid={hint?.field === "username" || undefined}
          // A refusal ("Wrong username or PIN") concerns the name too; a PIN hint does not.
          aria-describedby={message && hint?.field !== "pin" ? errorId : undefined}
        />
      </label>
      <PinPad
        value={pin}
        maxLength={MAX_PIN}
        disabled={busy}
        onChange={(next) => {
          setPin(next);
          setHint(null);
        }}
        onSubmit={submit}
        label={pinLabel}
      />
      {message && (
        <FormError id={errorId} data-testid={testIds.error}>
          {message}
        </FormError>
      )}
      <Button type="submit" variant="primary" size="large" block busy={busy} data-testid={testIds.submit}>
        {submitLabel}
      </Button>
    </form>
  );
}

// Asking why before something is cancelled: the reason is required (the appliance keeps it in the audit trail
// and prints it on the void ticket), and the confirm button says exactly what will happen.
import { Button, FormError, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";

const QUICK_REASONS = ["Guest changed their mind", "Wrong item", "Kitchen mistake", "Long wait"];

interface ReasonSheetProps {
  open: boolean;
  title: string;
  /** What will be cancelled, in words. */
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
  "data-testid"?: string;
}

export function ReasonSheet({
  open,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
  ...rest
}: ReasonSheetProps) {
  const ids = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) {
      setMissing(true);
      inputRef.current?.focus();
      return;
    }
    onConfirm(trimmed);
  }

  return (
    <Sheet
      open={open}
      onClose={onClose}
      title={title}
      dismissible={!busy}
      initialFocus={inputRef}
      data-testid={rest["data-testid"]}
      footer={
        <div className="toolbar">
          <Button onClick={onClose} disabled={busy}>
            Keep it
          </Button>
          <Button variant="danger" type="submit" form={`${ids}-form`} busy={busy} data-testid="reason-confirm">
            {confirmLabel}
          </Button>
        </div>
      }
    >
      <form id={`${ids}-form`} className="dialog-form" onSubmit={submit} noValidate>
        <div>{children}</div>
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-reason`}>
            Reason
          </label>
          <input
            ref={inputRef}
            id={`${ids}-reason`}
            value={reason}
            maxLength={200}
            required
            autoComplete="off"
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${ids}-missing` : `${ids}-hint`}
            data-testid="reason-input"
            onChange={(event) => {
              setReason(event.target.value);
              setMissing(false);
            }}
          />
          {missing ? (
            <span id={`${ids}-missing`} className="field__error">
              Say why: it goes in the order's history.
            </span>
          ) : (
            <span id={`${ids}-hint`} className="field__hint">
              Kept in the order's history.
            </span>
          )}
        </div>
        <div className="order-reasons" role="group" aria-label="Common reasons">
          {QUICK_REASONS.map((quick) => (
            <Button
              key={quick}
              variant="ghost"
              aria-pressed={reason === quick}
              onClick={() => {
                setReason(quick);
                setMissing(false);
              }}
            >
              {quick}
            </Button>
          ))}
        </div>
        {error && <FormError data-testid="reason-error">{error}</FormError>}
      </form>
    </Sheet>
  );
}

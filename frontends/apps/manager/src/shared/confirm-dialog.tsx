import { Button, FormError, Sheet } from "@tavolo/ui";
import type { ReactNode } from "react";
import { describeError } from "./errors";

/**
 * "Are you sure?" before something that cannot be undone from here; a refusal shows the API's reason inside it.
 * Test ids: `testId`, `${testId}-confirm` and `${testId}-error`; without one, "confirm-dialog", "confirm-action"
 * and "confirm-error".
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  busy,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  busy: boolean;
  /** The failed request's error (a mutation's `error`), or null. */
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const ids = testId
    ? { sheet: testId, confirm: `${testId}-confirm`, error: `${testId}-error` }
    : { sheet: "confirm-dialog", confirm: "confirm-action", error: "confirm-error" };
  return (
    <Sheet
      open
      onClose={onClose}
      title={title}
      dismissible={!busy}
      data-testid={ids.sheet}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            {cancelLabel}
          </Button>
          <Button variant="danger" busy={busy} onClick={onConfirm} data-testid={ids.confirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="dialog-form">
        {children}
        {error ? <FormError data-testid={ids.error}>{describeError(error)}</FormError> : null}
      </div>
    </Sheet>
  );
}

import { Button } from "@tavolo/ui";

/** A form sheet's footer: Cancel, and the button that submits the form `formId` (busy while it saves). */
export function DialogFooter({
  formId,
  label,
  busy,
  disabled,
  onClose,
  testId,
}: {
  formId: string;
  label: string;
  busy: boolean;
  disabled?: boolean;
  onClose: () => void;
  testId: string;
}) {
  return (
    <>
      <Button onClick={onClose} disabled={busy}>
        Cancel
      </Button>
      <Button type="submit" form={formId} variant="primary" busy={busy} disabled={disabled} data-testid={testId}>
        {label}
      </Button>
    </>
  );
}

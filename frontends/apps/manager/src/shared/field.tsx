// A form field: its label, the control, and a hint or an error under it. The hint stays out of the <label> so
// the control's accessible name is just the label; it is linked with aria-describedby instead, and an error
// replaces it (and is announced).
import { useId, type ReactNode } from "react";

export interface FieldControl {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const id = useId();
  const noteId = useId();
  const note = error || hint;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({ id, "aria-describedby": note ? noteId : undefined, "aria-invalid": error ? true : undefined })}
      {note && (
        <span id={noteId} className={error ? "field__error" : "field__hint"} role={error ? "alert" : undefined}>
          {note}
        </span>
      )}
    </div>
  );
}

import { Button } from "@tavolo/ui";
import { useEffect, useId, useMemo, useRef } from "react";

/** What the form will do with the photo on save: nothing, upload this file, or remove the stored one. */
export type ImageChange = { kind: "keep" } | { kind: "upload"; file: File } | { kind: "remove" };

const ACCEPT = "image/png,image/jpeg,image/webp";

/** The object URL of a chosen file while it is shown; revoked when the file changes or the form closes. */
function usePreviewUrl(file: File | null): string | null {
  const url = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/** The product's photo: the stored one (its URL carries its version), or a preview of the one chosen. */
export function ImageField({
  storedUrl,
  productName,
  change,
  onChange,
  disabled,
}: {
  storedUrl: string | null;
  productName: string;
  change: ImageChange;
  onChange: (change: ImageChange) => void;
  disabled: boolean;
}) {
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const preview = usePreviewUrl(change.kind === "upload" ? change.file : null);
  const shown = change.kind === "upload" ? preview : change.kind === "remove" ? null : storedUrl;
  const label = productName.trim() || "the product";

  let status = "No photo.";
  if (change.kind === "upload") status = `New photo “${change.file.name}”: saved with the product.`;
  else if (change.kind === "remove") status = "The photo will be removed when you save.";
  else if (storedUrl) status = "The current photo.";

  return (
    <div className="menu-image">
      <div className="menu-image__frame" data-testid="image-preview-frame">
        {shown ? (
          <img src={shown} alt={`Photo of ${label}`} className="menu-image__img" data-testid="image-preview" />
        ) : (
          <span className="muted">No photo</span>
        )}
      </div>
      <div className="menu-image__controls">
        <label htmlFor={inputId} className="field__label">
          Photo
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="file"
          accept={ACCEPT}
          aria-describedby={hintId}
          disabled={disabled}
          data-testid="image-input"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onChange({ kind: "upload", file });
          }}
        />
        <span id={hintId} className="field__hint" aria-live="polite">
          PNG, JPEG or WebP up to 2 MB; stored at most 800 px wide. {status}
        </span>
        <div className="toolbar">
          {change.kind !== "keep" && (
            <Button
              onClick={() => {
                if (inputRef.current) inputRef.current.value = "";
                onChange({ kind: "keep" });
              }}
              disabled={disabled}
            >
              Undo photo change
            </Button>
          )}
          {storedUrl && change.kind !== "remove" && (
            <Button
              variant="ghost"
              onClick={() => {
                if (inputRef.current) inputRef.current.value = "";
                onChange({ kind: "remove" });
              }}
              disabled={disabled}
              data-testid="image-remove"
            >
              Remove photo
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}

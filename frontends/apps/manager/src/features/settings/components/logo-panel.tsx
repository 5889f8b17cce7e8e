// The receipt logo: pick an image, see it before sending, upload; the appliance stores it fitted to the paper
// and dithered to black and white, and that stored image (what the printer gets) is what is shown afterwards.
import { Button, FormError } from "@tavolo/ui";
import { useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { describeError } from "../../../shared/errors";
import { useDeleteLogo, useUploadLogo, type SiteSettings } from "../api/settings-api";

const MAX_BYTES = 2 * 1024 * 1024;
const TYPES = ["image/png", "image/jpeg", "image/webp"];

/** Why a picked file will not do, or null. Exported for the tests. */
export function logoFileProblem(file: { type: string; size: number }): string | null {
  if (!TYPES.includes(file.type)) return "Pick a PNG, JPEG or WebP image.";
  if (file.size > MAX_BYTES) return "The image is larger than 2 MB; pick a smaller one.";
  return null;
}

export function LogoPanel({ settings }: { settings: SiteSettings }) {
  // The picked file and a Blob URL of it for the preview, made together so the URL never outlives its file.
  const [picked, setPicked] = useState<{ file: File; url: string } | null>(null);
  const file = picked?.file ?? null;
  const preview = picked?.url ?? null;
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const upload = useUploadLogo();
  const remove = useDeleteLogo();

  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);

  function setFile(next: File | null) {
    setPicked(next ? { file: next, url: URL.createObjectURL(next) } : null);
  }

  function pick(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0] ?? null;
    upload.reset();
    if (chosen && logoFileProblem(chosen)) {
      setProblem(logoFileProblem(chosen));
      setFile(null);
      return;
    }
    setProblem(null);
    setFile(chosen);
  }

  function clearPick() {
    setFile(null);
    setProblem(null);
    if (inputRef.current) inputRef.current.value = "";
  }

  const stored = settings.logo_updated_at
    ? `/api/settings/logo?v=${encodeURIComponent(settings.logo_updated_at)}`
    : null;

  return (
    <section className="panel" aria-labelledby="logo-title" data-testid="logo-panel">
      <h2 id="logo-title" className="settings-subhead">
        Receipt logo
      </h2>
      <div className="logo-panel">
        <figure className="logo-panel__figure">
          <figcaption className="field__label">As it prints</figcaption>
          <div className="logo-panel__paper">
            {stored ? (
              <img src={stored} alt="The receipt logo as the printer gets it" data-testid="logo-stored" />
            ) : (
              <span className="muted" data-testid="logo-none">
                No logo: bills start with the restaurant's name.
              </span>
            )}
          </div>
        </figure>
        <div className="logo-panel__controls">
          <div className="field">
            <label htmlFor={inputId} className="field__label">
              New logo image
            </label>
            <input
              ref={inputRef}
              id={inputId}
              type="file"
              accept={TYPES.join(",")}
              aria-describedby={hintId}
              aria-invalid={problem ? true : undefined}
              data-testid="logo-file"
              onChange={pick}
            />
            <span id={hintId} className="field__hint">
              PNG, JPEG or WebP up to 2 MB. It is fitted to the receipt's width and printed in black and white.
            </span>
          </div>
          {preview && (
            <figure className="logo-panel__figure">
              <figcaption className="field__label">Chosen image</figcaption>
              <img className="logo-panel__preview" src={preview} alt="The image chosen for the logo" />
            </figure>
          )}
          {problem && <FormError>{problem}</FormError>}
          <div className="settings-actions">
            <Button
              variant="primary"
              disabled={!file}
              busy={upload.isPending}
              data-testid="logo-upload"
              onClick={() => file && upload.mutate(file, { onSuccess: clearPick })}
            >
              Upload logo
            </Button>
            {file && (
              <Button onClick={clearPick} disabled={upload.isPending}>
                Cancel
              </Button>
            )}
            {stored && (
              <Button variant="danger" onClick={() => setConfirmRemove(true)} data-testid="logo-remove">
                Remove logo…
              </Button>
            )}
          </div>
          {upload.isError && <FormError data-testid="logo-error">{describeError(upload.error)}</FormError>}
          {upload.isSuccess && (
            <span role="status" className="settings-note">
              Logo saved. Bills and receipts print it from now on.
            </span>
          )}
        </div>
      </div>
      {confirmRemove && (
        <ConfirmDialog
          title="Remove the receipt logo?"
          confirmLabel="Remove logo"
          cancelLabel="Keep it"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirmRemove(false) })}
          onClose={() => {
            remove.reset();
            setConfirmRemove(false);
          }}
          testId="logo-remove-dialog"
        >
          <p>Bills and receipts will print without a logo. You can upload one again at any time.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

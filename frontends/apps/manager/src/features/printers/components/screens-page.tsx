// Kitchen screens (KDS): the paired screens, pairing a new one from here, and revoking one from anywhere.
import { Button, EmptyState, Sheet, Spinner } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { useSiteInfo } from "../../../lib/site";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import { formatDateTime } from "../../../shared/format";
import {
  useCreateScreen,
  usePrinters,
  useRevokeScreen,
  useScreens,
  type Printer,
  type Screen,
  type ScreenCreated,
} from "../api/printers-api";
import { PairingCode } from "./pairing-code";

function zonesOf(screen: Screen, names: Map<number, string>): string {
  if (screen.expo) return "Expo: every zone";
  return screen.zone_ids.map((id) => names.get(id) ?? `#${id}`).join(", ") || "—";
}

/** Name and zones, then the pairing code and QR (shown once) in the same sheet. */
function PairDialog({ printers, onClose }: { printers: Printer[]; onClose: () => void }) {
  const [name, setName] = useState("");
  const [zones, setZones] = useState<ReadonlySet<number>>(new Set());
  const [expo, setExpo] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [paired, setPaired] = useState<ScreenCreated | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreateScreen();
  const active = printers.filter((printer) => printer.is_active);

  function suggestedName(): string {
    if (expo) return "Expo";
    const chosen = active.filter((printer) => zones.has(printer.id)).map((printer) => printer.name);
    return chosen.length > 0 ? chosen.join(" + ") : "Kitchen";
  }

  function toggle(id: number) {
    setProblem(null);
    setZones((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!expo && zones.size === 0) {
      setProblem("Pick the zones this screen shows, or make it the expo screen.");
      return;
    }
    create.mutate(
      { name: name.trim() || suggestedName(), zone_ids: expo ? [] : [...zones], expo },
      { onSuccess: setPaired },
    );
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={paired ? `Pair ${paired.name}` : "Pair a kitchen screen"}
      dismissible={!create.isPending}
      initialFocus={nameRef}
      data-testid="pair-dialog"
      footer={
        paired ? (
          <Button variant="primary" onClick={onClose} data-testid="pair-done">
            Done
          </Button>
        ) : (
          <DialogFooter
            formId={formId}
            label="Create pairing"
            busy={create.isPending}
            onClose={onClose}
            testId="pair-create"
          />
        )
      }
    >
      {paired ? (
        <PairingCode screen={paired} />
      ) : (
        <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
          <Field label="Screen name" hint={`Empty: "${suggestedName()}".`}>
            {(control) => (
              <input
                {...control}
                ref={nameRef}
                data-testid="pair-name"
                maxLength={80}
                autoComplete="off"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <fieldset className="check-list" disabled={expo}>
            <legend className="field__label">Zones it shows</legend>
            {active.length === 0 && <p className="muted">No printer is in service: add one first (each is a zone).</p>}
            {active.map((printer) => (
              <label key={printer.id} className="check">
                <input
                  type="checkbox"
                  data-testid={`pair-zone-${printer.id}`}
                  checked={expo || zones.has(printer.id)}
                  onChange={() => toggle(printer.id)}
                />
                {printer.name}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input
              type="checkbox"
              data-testid="pair-expo"
              checked={expo}
              onChange={(event) => {
                setExpo(event.target.checked);
                setProblem(null);
              }}
            />
            Expo screen (the pass: every zone's tickets)
          </label>
          {problem && (
            <p className="field__error" role="alert">
              {problem}
            </p>
          )}
          {create.isError && (
            <ErrorBanner title="Not paired" error={create.error} testId="pair-error" />
          )}
        </form>
      )}
    </Sheet>
  );
}

export function ScreensPage() {
  const screens = useScreens();
  const printers = usePrinters();
  const revoke = useRevokeScreen();
  const timeZone = useSiteInfo().data?.timezone;
  const [pairing, setPairing] = useState(false);
  const [revoking, setRevoking] = useState<Screen | null>(null);
  const names = new Map((printers.data ?? []).map((printer) => [printer.id, printer.name]));

  function closeRevoke() {
    revoke.reset();
    setRevoking(null);
  }

  return (
    <div className="page">
      <div className="page-head">
        <h2 className="printers-subtitle">Kitchen screens</h2>
        <Button variant="primary" onClick={() => setPairing(true)} disabled={!printers.data} data-testid="pair-screen">
          Pair a screen
        </Button>
      </div>
      <div className="panel">
        {screens.isPending ? (
          <Spinner label="Loading screens" />
        ) : screens.isError ? (
          <ErrorBanner title="The screens could not be loaded" error={screens.error} />
        ) : screens.data.length === 0 ? (
          <EmptyState title="No kitchen screens paired">
            Pair a screen here and scan its QR code on the screen, or sign in on the screen itself.
          </EmptyState>
        ) : (
          <DataTable columns={["Name", "Shows", "Paired", { label: "Actions", hidden: true }]} testId="screens-table">
            {screens.data.map((screen) => (
              <tr key={screen.id} data-testid={`screen-row-${screen.id}`}>
                <td>
                  <strong>{screen.name}</strong>
                </td>
                <td>{zonesOf(screen, names)}</td>
                <td className="nowrap">{formatDateTime(screen.created_at, timeZone)}</td>
                <td className="num">
                  <Button variant="ghost" onClick={() => setRevoking(screen)} aria-label={`Unpair ${screen.name}`}>
                    Unpair
                  </Button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      {pairing && printers.data && <PairDialog printers={printers.data} onClose={() => setPairing(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Unpair ${revoking.name}?`}
          confirmLabel="Unpair"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking.id, { onSuccess: closeRevoke })}
          onClose={closeRevoke}
        >
          <p>The screen stops showing tickets at once and asks to be paired again.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

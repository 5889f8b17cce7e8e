import { Banner, Button, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  useCreateStaff,
  useResetPin,
  useSetAssistants,
  useUpdateStaff,
  type Role,
  type Staff,
  type StaffUpdate,
} from "../api/staff-api";

// The appliance's own rules (staff/schemas.py), checked here first so the manager reads them in words.
const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
const PIN = /^[0-9]{4,8}$/;

export const ROLE_LABELS: Record<Role, string> = { waiter: "Waiter", manager: "Manager" };

export function pinProblem(pin: string): string | null {
  return PIN.test(pin) ? null : "Enter a PIN of 4 to 8 digits.";
}

interface Draft {
  username: string;
  displayName: string;
  role: Role;
  pin: string;
}

type Problems = Partial<Record<keyof Draft, string>>;

function problemsOf(draft: Draft, creating: boolean): Problems {
  const problems: Problems = {};
  if (!USERNAME.test(draft.username.trim())) {
    problems.username = "3 to 64 letters, digits, dots, dashes or underscores (no spaces).";
  }
  if (!draft.displayName.trim()) problems.displayName = "Enter the name shown on tickets and screens.";
  if (creating) {
    const pin = pinProblem(draft.pin);
    if (pin) problems.pin = pin;
  }
  return problems;
}

/** Add a person (no `staff`) or edit one; rendered while open, so each opening starts afresh. */
export function StaffDialog({ staff, onClose }: { staff?: Staff; onClose: () => void }) {
  const creating = staff === undefined;
  const [draft, setDraft] = useState<Draft>({
    username: staff?.username ?? "",
    displayName: staff?.display_name ?? "",
    role: staff?.role ?? "waiter",
    pin: "",
  });
  const [problems, setProblems] = useState<Problems>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreateStaff();
  const update = useUpdateStaff(staff?.id ?? 0);
  const save = creating ? create : update;

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    setProblems((previous) => ({ ...previous, [key]: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = problemsOf(draft, creating);
    if (Object.keys(found).length > 0) {
      setProblems(found);
      return;
    }
    const username = draft.username.trim();
    const displayName = draft.displayName.trim();
    if (creating) {
      create.mutate({ username, display_name: displayName, role: draft.role, pin: draft.pin }, { onSuccess: onClose });
      return;
    }
    const changes: StaffUpdate = {};
    if (username !== staff.username) changes.username = username;
    if (displayName !== staff.display_name) changes.display_name = displayName;
    if (draft.role !== staff.role) changes.role = draft.role;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate(changes, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a staff member" : `Edit ${staff.display_name}`}
      dismissible={!save.isPending}
      initialFocus={firstRef}
      data-testid="staff-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label={creating ? "Add" : "Save changes"}
          busy={save.isPending}
          onClose={onClose}
          testId="staff-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <Field label="Name" hint="Shown on tickets, bills and screens." error={problems.displayName}>
          {(control) => (
            <input
              {...control}
              ref={firstRef}
              data-testid="staff-display-name"
              maxLength={120}
              autoComplete="off"
              value={draft.displayName}
              onChange={(event) => set("displayName", event.target.value)}
            />
          )}
        </Field>
        <Field label="Username" hint="What they type to sign in." error={problems.username}>
          {(control) => (
            <input
              {...control}
              data-testid="staff-username"
              maxLength={64}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={draft.username}
              onChange={(event) => set("username", event.target.value)}
            />
          )}
        </Field>
        <Field label="Role">
          {(control) => (
            <select
              {...control}
              data-testid="staff-role"
              value={draft.role}
              onChange={(event) => set("role", event.target.value as Role)}
            >
              <option value="waiter">Waiter</option>
              <option value="manager">Manager (this dashboard, approvals)</option>
            </select>
          )}
        </Field>
        {creating && (
          <Field label="PIN" hint="4 to 8 digits; tell it to them in person." error={problems.pin}>
            {(control) => (
              <input
                {...control}
                data-testid="staff-pin"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                value={draft.pin}
                onChange={(event) => set("pin", event.target.value.trim())}
              />
            )}
          </Field>
        )}
        {save.isError && (
          <ErrorBanner title={creating ? "Not added" : "Not saved"} error={save.error} testId="staff-error" />
        )}
      </form>
    </Sheet>
  );
}

/** A new PIN: the appliance also clears a lockout and signs the person out everywhere. */
export function PinDialog({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const reset = useResetPin(staff.id);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = pinProblem(pin);
    if (found) {
      setProblem(found);
      pinRef.current?.focus();
      return;
    }
    reset.mutate(pin, { onSuccess: () => setDone(true) });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`New PIN for ${staff.display_name}`}
      dismissible={!reset.isPending}
      initialFocus={pinRef}
      data-testid="pin-dialog"
      footer={
        done ? (
          <Button variant="primary" onClick={onClose} data-testid="pin-done">
            Done
          </Button>
        ) : (
          <DialogFooter
            formId={formId}
            label="Set PIN"
            busy={reset.isPending}
            onClose={onClose}
            testId="pin-save"
          />
        )
      }
    >
      {done ? (
        <Banner tone="info" title="PIN changed" data-testid="pin-changed">
          {staff.display_name} signs in with the new PIN from now on; their open sessions were ended.
        </Banner>
      ) : (
        <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
          <p className="muted">
            Also unlocks the account if it was locked after wrong PINs, and signs {staff.display_name} out of every
            device.
          </p>
          <Field label="New PIN" hint="4 to 8 digits." error={problem}>
            {(control) => (
              <input
                {...control}
                ref={pinRef}
                data-testid="pin-input"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                value={pin}
                onChange={(event) => {
                  setPin(event.target.value.trim());
                  setProblem(null);
                }}
              />
            )}
          </Field>
          {reset.isError && (
            <ErrorBanner title="PIN not changed" error={reset.error} testId="pin-error" />
          )}
        </form>
      )}
    </Sheet>
  );
}

/** Who may serve this person's tables: any other active staff member. */
export function AssistantsDialog({
  staff,
  everyone,
  onClose,
}: {
  staff: Staff;
  everyone: Staff[];
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(staff.assistant_ids));
  const formId = useId();
  const save = useSetAssistants(staff.id);
  // Someone already chosen stays listed even if deactivated since, so the manager can take them off.
  const candidates = everyone.filter((other) => other.id !== staff.id && (other.is_active || chosen.has(other.id)));

  function toggle(id: number) {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate([...chosen].sort((a, b) => a - b), { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Assistants of ${staff.display_name}`}
      dismissible={!save.isPending}
      data-testid="assistants-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label="Save assistants"
          busy={save.isPending}
          onClose={onClose}
          testId="assistants-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit}>
        <fieldset className="check-list">
          <legend className="field__label">Who may also serve {staff.display_name}'s tables</legend>
          {candidates.length === 0 && <p className="muted">Nobody else works here yet.</p>}
          {candidates.map((other) => (
            <label key={other.id} className="check">
              <input
                type="checkbox"
                data-testid={`assistant-${other.username}`}
                checked={chosen.has(other.id)}
                onChange={() => toggle(other.id)}
              />
              <span>
                {other.display_name} <span className="muted">({ROLE_LABELS[other.role].toLowerCase()})</span>
                {!other.is_active && <span className="muted"> · deactivated</span>}
              </span>
            </label>
          ))}
        </fieldset>
        {save.isError && (
          <ErrorBanner title="Assistants not saved" error={save.error} testId="assistants-error" />
        )}
      </form>
    </Sheet>
  );
}

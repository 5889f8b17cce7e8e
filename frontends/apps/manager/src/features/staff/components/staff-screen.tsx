// Staff: waiters and managers, their PINs, lockouts, assistants; deactivated people stay for history and can
// come back.
import { Button, EmptyState, Spinner, useNow } from "@tavolo/ui";
import { useState } from "react";
import { useUser } from "../../../lib/session";
import { useSiteInfo } from "../../../lib/site";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatClock } from "../../../shared/format";
import { useDeactivateStaff, useReactivateStaff, useStaff, useUnlockStaff, type Staff } from "../api/staff-api";
import { AssistantsDialog, PinDialog, ROLE_LABELS, StaffDialog } from "./staff-dialogs";

type Dialog =
  | { kind: "create" }
  | { kind: "edit" | "pin" | "assistants" | "deactivate"; staff: Staff }
  | null;

export function isLocked(staff: Staff, now: number): boolean {
  return staff.locked_until !== null && Date.parse(staff.locked_until) > now;
}

export function StaffScreen() {
  const staff = useStaff();
  const me = useUser();
  const now = useNow(15_000);
  const timeZone = useSiteInfo().data?.timezone;
  const [showInactive, setShowInactive] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const unlock = useUnlockStaff();
  const reactivate = useReactivateStaff();
  const deactivate = useDeactivateStaff();
  const everyone = staff.data ?? [];
  const names = new Map(everyone.map((person) => [person.id, person.display_name]));
  const inactiveCount = everyone.filter((person) => !person.is_active).length;
  const shown = everyone
    .filter((person) => showInactive || person.is_active)
    .sort((a, b) => Number(b.is_active) - Number(a.is_active) || a.display_name.localeCompare(b.display_name));
  const rowError = unlock.isError ? unlock.error : reactivate.isError ? reactivate.error : null;

  function closeDialog() {
    deactivate.reset();
    setDialog(null);
  }

  return (
    <section className="page" aria-labelledby="staff-title">
      <div className="page-head">
        <h1 id="staff-title" tabIndex={-1}>
          Staff
        </h1>
        <Button variant="primary" onClick={() => setDialog({ kind: "create" })} data-testid="staff-add">
          Add staff member
        </Button>
      </div>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            data-testid="staff-show-inactive"
            checked={showInactive}
            onChange={(event) => setShowInactive(event.target.checked)}
          />
          Show deactivated ({inactiveCount})
        </label>
      </div>
      {rowError && (
        <ErrorBanner title="Not done" error={rowError} testId="staff-row-error" />
      )}
      <div className="panel">
        {staff.isPending ? (
          <Spinner label="Loading staff" />
        ) : staff.isError ? (
          <ErrorBanner title="The staff list could not be loaded" error={staff.error} />
        ) : shown.length === 0 ? (
          <EmptyState title="Nobody here yet">Add the waiters and managers who work here.</EmptyState>
        ) : (
          <DataTable
            columns={["Name", "Role", "State", "Assistants", { label: "Actions", hidden: true }]}
            testId="staff-table"
          >
            {shown.map((person) => {
              const locked = isLocked(person, now);
              const self = person.id === me?.id;
              return (
                <tr key={person.id} data-testid={`staff-row-${person.username}`}>
                  <td>
                    <strong>{person.display_name}</strong>
                    {self && <span className="muted"> (you)</span>}
                    <div className="muted">{person.username}</div>
                  </td>
                  <td>{ROLE_LABELS[person.role]}</td>
                  <td data-testid="staff-state">
                    {!person.is_active ? (
                      <span className="badge">Deactivated</span>
                    ) : locked && person.locked_until ? (
                      <span className="badge badge--error">
                        Locked until {formatClock(person.locked_until, timeZone, now)}
                      </span>
                    ) : (
                      <span className="badge badge--ok">Active</span>
                    )}
                  </td>
                  <td>
                    {person.assistant_ids.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      person.assistant_ids.map((id) => names.get(id) ?? `#${id}`).join(", ")
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      {person.is_active ? (
                        <>
                          {locked && (
                            <Button
                              variant="primary"
                              busy={unlock.isPending && unlock.variables === person.id}
                              onClick={() => unlock.mutate(person.id)}
                              data-testid="staff-unlock"
                            >
                              Unlock
                            </Button>
                          )}
                          <Button
                            onClick={() => setDialog({ kind: "edit", staff: person })}
                            data-testid="staff-edit"
                          >
                            Edit
                          </Button>
                          <Button
                            onClick={() => setDialog({ kind: "pin", staff: person })}
                            data-testid="staff-reset-pin"
                          >
                            Reset PIN
                          </Button>
                          <Button
                            onClick={() => setDialog({ kind: "assistants", staff: person })}
                            data-testid="staff-assistants"
                          >
                            Assistants
                          </Button>
                          {!self && (
                            <Button
                              variant="ghost"
                              onClick={() => setDialog({ kind: "deactivate", staff: person })}
                              data-testid="staff-deactivate"
                            >
                              Deactivate
                            </Button>
                          )}
                        </>
                      ) : (
                        <Button
                          busy={reactivate.isPending && reactivate.variables === person.id}
                          onClick={() => reactivate.mutate(person.id)}
                          data-testid="staff-reactivate"
                        >
                          Reactivate
                        </Button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
      {dialog?.kind === "create" && <StaffDialog onClose={closeDialog} />}
      {dialog?.kind === "edit" && <StaffDialog staff={dialog.staff} onClose={closeDialog} />}
      {dialog?.kind === "pin" && <PinDialog staff={dialog.staff} onClose={closeDialog} />}
      {dialog?.kind === "assistants" && (
        <AssistantsDialog staff={dialog.staff} everyone={everyone} onClose={closeDialog} />
      )}
      {dialog?.kind === "deactivate" && (
        <ConfirmDialog
          title={`Deactivate ${dialog.staff.display_name}?`}
          confirmLabel="Deactivate"
          busy={deactivate.isPending}
          error={deactivate.error}
          onConfirm={() => deactivate.mutate(dialog.staff.id, { onSuccess: closeDialog })}
          onClose={closeDialog}
        >
          <p>
            {dialog.staff.display_name} can no longer sign in and is signed out of every device at once. Their orders
            and history stay; you can reactivate them later.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

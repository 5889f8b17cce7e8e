import { useQueryClient } from "@tanstack/react-query";
import { Button, Sheet } from "@tavolo/ui";
import { useState } from "react";
import { useOutbox } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";
import { logout } from "../api/auth-api";

/** Log out; warns first when this waiter's writes are still queued: they only go out while they are logged in. */
export function LogoutButton() {
  const queryClient = useQueryClient();
  const user = useUser();
  const pending = useOutbox().filter((entry) => entry.userId === undefined || entry.userId === user?.id).length;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    await logout();
    // The next waiter on this phone must not see this one's tables or alerts, not even for a moment.
    queryClient.clear();
  }

  return (
    <>
      <Button
        variant="ghost"
        data-testid="logout"
        busy={busy}
        onClick={() => (pending > 0 ? setConfirming(true) : void run())}
      >
        Log out
      </Button>
      <Sheet
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Log out now?"
        footer={
          <>
            <Button size="large" onClick={() => setConfirming(false)}>
              Stay
            </Button>
            <Button
              size="large"
              variant="danger"
              busy={busy}
              data-testid="logout-confirm"
              onClick={() => void run()}
            >
              Log out
            </Button>
          </>
        }
      >
        <p>
          {pending === 1 ? "1 change has" : `${pending} changes have`} not reached the appliance yet. They stay on
          this phone and are sent only while you are logged in: stay until the connection is back, or they wait for
          your next login here.
        </p>
      </Sheet>
    </>
  );
}

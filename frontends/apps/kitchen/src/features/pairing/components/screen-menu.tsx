import { Button, Sheet } from "@tavolo/ui";
import { useState } from "react";
import { api } from "../../../lib/api";
import { useBoard } from "../../../lib/live";
import { unpair } from "../../../lib/screen";

/** Give the token back to the appliance (so the screen leaves the managers' list), then forget it here. */
async function unpairNow(): Promise<void> {
  try {
    await api.DELETE("/api/kitchen/screens/me");
  } catch {
    // Unreachable appliance: forget the token anyway; a manager can still remove the screen from the list.
  }
  unpair("unpaired");
}

/** The small "⋮" menu: which screen this is, and "Unpair" (after a confirmation). */
export function ScreenMenu() {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { screen } = useBoard();
  const close = () => {
    setOpen(false);
    setConfirming(false);
  };
  const zones = screen ? (screen.expo ? "every zone (expo)" : screen.zones.map((z) => z.name).join(", ")) : "";
  return (
    <>
      <Button variant="ghost" aria-label="Screen menu" data-testid="kds-menu" onClick={() => setOpen(true)}>
        ⋮
      </Button>
      <Sheet
        open={open}
        onClose={close}
        title={screen ? `Screen: ${screen.name}` : "This screen"}
        data-testid="kds-menu-sheet"
        footer={
          confirming ? (
            <>
              <Button size="large" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
              <Button variant="danger" size="large" data-testid="unpair-confirm" onClick={() => void unpairNow()}>
                Unpair now
              </Button>
            </>
          ) : (
            <Button variant="danger" size="large" data-testid="unpair" onClick={() => setConfirming(true)}>
              Unpair this screen
            </Button>
          )
        }
      >
        {screen && <p>Shows the tickets of {zones}.</p>}
        {confirming && (
          <p className="kds-menu__warning" role="alert">
            Unpair? The screen stops showing tickets until a manager pairs it again. (A manager can also remove it
            from the list of screens, which does the same from anywhere.)
          </p>
        )}
      </Sheet>
    </>
  );
}

import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@tavolo/ui";
import { useState } from "react";
import { logout } from "../api/auth-api";

export function LogoutButton() {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="ghost"
      data-testid="logout"
      busy={busy}
      onClick={async () => {
        setBusy(true);
        await logout();
        queryClient.clear();
      }}
    >
      Sign out
    </Button>
  );
}

import { Button } from "@tavolo/ui";
import { signOut } from "../../../lib/session";

/** The cloud keeps no session to revoke (stateless access tokens): forgetting the token signs out. */
export function LogoutButton() {
  return (
    <Button variant="ghost" onClick={signOut}>
      Sign out
    </Button>
  );
}

// The manager's short session while pairing: signed out on cancel, after a quiet spell (a manager who walks away
// must not leave a signed-in screen on the wall), and when the pairing screen goes away.
import { useCallback, useEffect, useState } from "react";
import { createPairingSession } from "../api/pairing-api";

/** How long the zone picker waits for a tap before signing the manager out. */
export const IDLE_SIGN_OUT_MS = 90_000;

export function usePairingSession() {
  const [session, setSession] = useState(createPairingSession);
  const [signedIn, setSignedIn] = useState(false);
  const [timedOut, setTimedOut] = useState(false);
  const [activity, setActivity] = useState(0);

  const signOut = useCallback(() => {
    void session.logout();
    setSignedIn(false);
    setSession(createPairingSession());
  }, [session]);

  const touch = useCallback(() => setActivity((n) => n + 1), []);

  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => {
      setTimedOut(true);
      signOut();
    }, IDLE_SIGN_OUT_MS);
    return () => clearTimeout(timer);
  }, [signedIn, activity, signOut]);

  // Leaving the pairing screen (paired by a link meanwhile, say) ends the manager's session too.
  useEffect(() => () => void session.logout(), [session]);

  return {
    session,
    signedIn,
    timedOut,
    markSignedIn: () => {
      setTimedOut(false);
      setSignedIn(true);
    },
    signOut,
    touch,
  };
}

import { Banner, Button, PinPad, Spinner } from "@tavolo/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { pair, usePairing } from "../../../lib/screen";
import { describePairingError, type PairingSession } from "../api/pairing-api";
import { usePairingSession } from "../hooks/use-pairing-session";
import "./pairing.css";

const MIN_PIN = 4;
const MAX_PIN = 8;

/** The screen is not paired: a manager pairs it here (username + PIN, then zones) or opens a pairing link. */
export function PairScreen() {
  const { notice } = usePairing();
  const pairing = usePairingSession();
  return (
    <main className="kds-pair">
      <section className="kds-pair__intro">
        <p className="kds-pair__brand">Tavolo Kitchen</p>
        <h1 className="kds-pair__title">Pair this screen</h1>
        {notice && (
          <Banner tone="warn" title="This screen was unpaired" data-testid="pair-notice">
            {notice === "revoked"
              ? "A manager removed it, or its pairing is no longer valid. Pair it again to show tickets."
              : "It no longer shows tickets. Pair it again to use it."}
          </Banner>
        )}
        <p>A manager pairs the screen once; after that it shows the tickets of its zones, with no one signed in.</p>
        <ul className="kds-pair__ways">
          <li>
            <strong>On this screen:</strong> sign in as a manager, then pick the zones it shows.
          </li>
          <li>
            <strong>With a link:</strong> open the screen's pairing link (or scan its QR code) from the manager
            dashboard on this device.
          </li>
        </ul>
      </section>
      <section className="kds-pair__panel">
        {pairing.signedIn ? (
          <SetupForm session={pairing.session} onCancel={pairing.signOut} onActivity={pairing.touch} />
        ) : (
          <LoginForm session={pairing.session} onSignedIn={pairing.markSignedIn} timedOut={pairing.timedOut} />
        )}
      </section>
    </main>
  );
}

function LoginForm({
  session,
  onSignedIn,
  timedOut,
}: {
  session: PairingSession;
  onSignedIn: () => void;
  timedOut: boolean;
}) {
  const [username, setUsername] = useState("");
  const [pin, setPin] = useState("");
  const [hint, setHint] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const login = useMutation({
    mutationFn: () => session.login(username, pin),
    onSuccess: onSignedIn,
    onError: () => setPin(""),
  });

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (login.isPending) return;
    if (!username.trim()) {
      setHint("Enter the manager's username.");
      usernameRef.current?.focus();
      return;
    }
    if (pin.length < MIN_PIN) {
      setHint(`Enter the PIN (${MIN_PIN}–${MAX_PIN} digits).`);
      return;
    }
    setHint(null);
    login.mutate();
  }

  const message = hint ?? (login.isError ? describePairingError(login.error) : null);
  return (
    <form className="kds-pair__form" data-testid="pair-form" onSubmit={submit} noValidate>
      <h2 className="kds-pair__step">Manager sign-in</h2>
      {timedOut && (
        <Banner tone="info" compact>
          Signed out after a while without a tap.
        </Banner>
      )}
      <label className="kds-pair__field">
        <span>Username</span>
        <input
          ref={usernameRef}
          data-testid="pair-username"
          name="username"
          value={username}
          onChange={(event) => {
            setUsername(event.target.value);
            setHint(null);
          }}
          autoCapitalize="off"
          autoCorrect="off"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <PinPad
        value={pin}
        maxLength={MAX_PIN}
        disabled={login.isPending}
        onChange={(next) => {
          setPin(next);
          setHint(null);
        }}
        onSubmit={submit}
        label="Manager PIN"
      />
      {message && (
        <p className="kds-pair__error" role="alert" data-testid="pair-error">
          {message}
        </p>
      )}
      <Button type="submit" variant="primary" size="large" block busy={login.isPending} data-testid="pair-login">
        Sign in
      </Button>
    </form>
  );
}

function SetupForm({
  session,
  onCancel,
  onActivity,
}: {
  session: PairingSession;
  onCancel: () => void;
  onActivity: () => void;
}) {
  const zones = useQuery({ queryKey: ["pairing-zones"], queryFn: () => session.zones(), gcTime: 0, retry: false });
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [expo, setExpo] = useState(false);
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: async () => {
      const screen = await session.createScreen({ name: name.trim() || suggestedName(), zone_ids: [...selected], expo });
      // The manager is signed out before the screen starts: only the screen's token stays.
      await session.logout();
      return screen;
    },
    onSuccess: (screen) => pair(screen.token),
  });

  function suggestedName(): string {
    if (expo) return "Expo";
    const names = (zones.data ?? []).filter((zone) => selected.has(zone.id)).map((zone) => zone.name);
    return names.length > 0 ? names.join(" + ") : "Kitchen";
  }

  function toggle(id: number) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!create.isPending && (expo || selected.size > 0)) create.mutate();
  }

  return (
    <form
      className="kds-pair__form"
      data-testid="pair-setup"
      onSubmit={submit}
      onPointerDown={onActivity}
      onKeyDown={onActivity}
      noValidate
    >
      <h2 className="kds-pair__step">What does this screen show?</h2>
      {zones.isPending ? (
        <Spinner label="Loading zones" />
      ) : zones.isError ? (
        <Banner tone="error" title="The zones could not be loaded">
          {describePairingError(zones.error)}
        </Banner>
      ) : (
        <fieldset className="kds-pair__zones" disabled={expo}>
          <legend>Zones</legend>
          {zones.data.length === 0 && <p>No zones yet: add the kitchen's printers in the manager app first.</p>}
          {zones.data.map((zone) => (
            <label key={zone.id} className="kds-pair__check">
              <input
                type="checkbox"
                data-testid={`pair-zone-${zone.id}`}
                checked={expo || selected.has(zone.id)}
                onChange={() => toggle(zone.id)}
              />
              <span>
                {zone.name}
                <small>
                  {" "}
                  · warn {zone.kds_warn_minutes} min, late {zone.kds_late_minutes} min
                </small>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <label className="kds-pair__check kds-pair__check--expo">
        <input type="checkbox" data-testid="pair-expo" checked={expo} onChange={(e) => setExpo(e.target.checked)} />
        <span>
          Expo (all zones)
          <small> · the pass: every ticket of every zone</small>
        </span>
      </label>
      <label className="kds-pair__field">
        <span>Screen name</span>
        <input
          data-testid="pair-name"
          value={name}
          placeholder={suggestedName()}
          maxLength={80}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      {create.isError && (
        <p className="kds-pair__error" role="alert" data-testid="pair-error">
          {describePairingError(create.error)}
        </p>
      )}
      <div className="kds-pair__actions">
        <Button variant="ghost" size="large" data-testid="pair-cancel" disabled={create.isPending} onClick={onCancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          size="large"
          busy={create.isPending}
          disabled={!expo && selected.size === 0}
          data-testid="pair-submit"
        >
          Pair this screen
        </Button>
      </div>
    </form>
  );
}

import { Banner, Button, FormError, Spinner, StaffPinForm, type StaffPinCredentials } from "@tavolo/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { pair, usePairing } from "../../../lib/screen";
import { describePairingError, type PairingSession } from "../api/pairing-api";
import { usePairingSession } from "../hooks/use-pairing-session";
import "./pairing.css";

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
  const login = useMutation({
    mutationFn: ({ username, pin }: StaffPinCredentials) => session.login(username, pin),
    onSuccess: onSignedIn,
  });
  return (
    <StaffPinForm
      data-testid="pair-form"
      onSubmit={login.mutateAsync}
      busy={login.isPending}
      error={login.isError ? describePairingError(login.error) : null}
      submitLabel="Sign in"
      whose="the manager's"
      pinLabel="Manager PIN"
      // A wall screen is shared: it must not offer the last manager's name to whoever walks up.
      usernameAutoComplete="off"
      header={
        <>
          <h2 className="kds-pair__step">Manager sign-in</h2>
          {timedOut && (
            <Banner tone="info" compact>
              Signed out after a while without a tap.
            </Banner>
          )}
        </>
      }
      testIds={{ username: "pair-username", error: "pair-error", submit: "pair-login" }}
    />
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
      {create.isError && <FormError data-testid="pair-error">{describePairingError(create.error)}</FormError>}
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

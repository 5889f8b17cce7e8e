import { Button, PinPad } from "@tavolo/ui";
import { useRef, useState, type FormEvent } from "react";
import { useSiteInfo } from "../../../lib/site";
import { describeLoginError } from "../api/auth-api";
import { lastUsername } from "../hooks/use-last-username";
import { useLogin } from "../hooks/use-login";
import "./login-screen.css";

const MIN_PIN = 4;
const MAX_PIN = 8;

export function LoginScreen() {
  const site = useSiteInfo();
  const [username, setUsername] = useState(lastUsername);
  const [pin, setPin] = useState("");
  const [hint, setHint] = useState<string | null>(null);
  const loginMutation = useLogin();
  const usernameRef = useRef<HTMLInputElement>(null);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (loginMutation.isPending) return;
    if (!username.trim()) {
      setHint("Enter your username.");
      usernameRef.current?.focus();
      return;
    }
    if (pin.length === 0 && document.activeElement === usernameRef.current) {
      // "Next" on the phone keyboard: put the keyboard away and let the thumb move to the PIN pad.
      usernameRef.current?.blur();
      return;
    }
    if (pin.length < MIN_PIN) {
      setHint(`Enter your PIN (${MIN_PIN}–${MAX_PIN} digits).`);
      return;
    }
    setHint(null);
    loginMutation.mutate(
      { username, pin },
      // A rejected PIN is cleared so the next attempt starts from nothing.
      { onError: () => setPin("") },
    );
  }

  const message = hint ?? (loginMutation.isError ? describeLoginError(loginMutation.error) : null);

  return (
    <main className="login">
      <header className="login__header">
        <p className="login__site">{site.data?.restaurant_name ?? "Tavolo"}</p>
        <h1 className="login__title">Log in</h1>
      </header>
      <form className="login__form" onSubmit={submit} noValidate>
        <label className="login__field">
          <span>Username</span>
          <input
            ref={usernameRef}
            data-testid="login-username"
            name="username"
            value={username}
            onChange={(event) => {
              setUsername(event.target.value);
              setHint(null);
            }}
            autoCapitalize="off"
            autoCorrect="off"
            autoComplete="username"
            spellCheck={false}
            enterKeyHint="next"
            // A remembered name goes straight to the PIN pad; otherwise the name comes first.
            autoFocus={!username}
          />
        </label>
        <PinPad
          value={pin}
          maxLength={MAX_PIN}
          disabled={loginMutation.isPending}
          onChange={(next) => {
            setPin(next);
            setHint(null);
          }}
          onSubmit={submit}
        />
        {message && (
          <p className="login__error" data-testid="login-error" role="alert">
            {message}
          </p>
        )}
        <Button
          type="submit"
          variant="primary"
          size="large"
          block
          busy={loginMutation.isPending}
          data-testid="login-submit"
        >
          Log in
        </Button>
      </form>
    </main>
  );
}

import { Banner, Button } from "@tavolo/ui";
import { useRef, useState, type FormEvent } from "react";
import { useSession } from "../../../lib/session";
import { useTitle } from "../../../lib/use-title";
import { describeLoginError } from "../api/auth-api";
import { useLogin } from "../hooks/use-login";
import "./login-screen.css";

export function LoginScreen() {
  useTitle("Sign in");
  const { notice } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [hint, setHint] = useState<string | null>(null);
  const loginMutation = useLogin();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (loginMutation.isPending) return;
    if (!username.trim()) {
      setHint("Enter your username.");
      usernameRef.current?.focus();
      return;
    }
    if (!password) {
      setHint("Enter your password.");
      passwordRef.current?.focus();
      return;
    }
    setHint(null);
    loginMutation.mutate(
      { username, password },
      {
        // The next try starts from an empty password, with the cursor in it.
        onError: () => {
          setPassword("");
          passwordRef.current?.focus();
        },
      },
    );
  }

  const message = hint ?? (loginMutation.isError ? describeLoginError(loginMutation.error) : null);

  return (
    <main className="login">
      <form className="login__card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <p className="login__brand">Tavolo Cloud</p>
        <h1 id="login-title" className="login__title">
          Sysadmin sign-in
        </h1>
        {notice === "expired" && !loginMutation.isPending && (
          <Banner tone="info" compact data-testid="login-notice">
            Your session ended. Sign in again to continue.
          </Banner>
        )}
        <label className="field">
          <span className="field__label">Username</span>
          <input
            ref={usernameRef}
            name="username"
            value={username}
            onChange={(event) => {
              setUsername(event.target.value);
              setHint(null);
            }}
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
            aria-invalid={hint === "Enter your username." || undefined}
          />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            ref={passwordRef}
            type="password"
            name="password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setHint(null);
            }}
            autoComplete="current-password"
            aria-invalid={hint === "Enter your password." || undefined}
          />
        </label>
        {message && (
          <p className="login__error" role="alert" data-testid="login-error">
            {message}
          </p>
        )}
        <Button type="submit" variant="primary" block busy={loginMutation.isPending}>
          Sign in
        </Button>
      </form>
    </main>
  );
}

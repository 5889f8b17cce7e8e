import { StaffPinForm } from "@tavolo/ui";
import { useState } from "react";
import { useSiteInfo } from "../../../lib/site";
import { describeLoginError } from "../api/auth-api";
import { lastUsername } from "../hooks/use-last-username";
import { useLogin } from "../hooks/use-login";
import "./login-screen.css";

export function LoginScreen() {
  const site = useSiteInfo();
  const loginMutation = useLogin();
  const [remembered] = useState(lastUsername);
  return (
    <main className="login">
      <header className="login__header">
        <p className="login__site">{site.data?.restaurant_name ?? "Tavolo"}</p>
        <h1 className="login__title">Log in</h1>
      </header>
      <StaffPinForm
        className="login__form"
        onSubmit={loginMutation.mutateAsync}
        busy={loginMutation.isPending}
        error={loginMutation.isError ? describeLoginError(loginMutation.error) : null}
        submitLabel="Log in"
        // A remembered name goes straight to the PIN pad; otherwise the name comes first.
        initialUsername={remembered}
        focusUsername
        testIds={{ username: "login-username", error: "login-error", submit: "login-submit" }}
      />
    </main>
  );
}

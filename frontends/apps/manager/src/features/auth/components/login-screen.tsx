import { StaffPinForm } from "@tavolo/ui";
import { useSiteInfo } from "../../../lib/site";
import { describeLoginError } from "../api/auth-api";
import { useLogin } from "../hooks/use-login";
import "./login-screen.css";

export function LoginScreen() {
  const site = useSiteInfo();
  const loginMutation = useLogin();
  return (
    <main className="manager-login">
      <header className="manager-login__header">
        <p className="manager-login__site">{site.data?.restaurant_name ?? "Tavolo"}</p>
        <h1 className="manager-login__title">Manager sign-in</h1>
      </header>
      <StaffPinForm
        onSubmit={loginMutation.mutateAsync}
        busy={loginMutation.isPending}
        error={loginMutation.isError ? describeLoginError(loginMutation.error) : null}
        submitLabel="Sign in"
        // A tablet by the pass is shared: it must not suggest who signed in last.
        usernameAutoComplete="off"
        focusUsername
        testIds={{ username: "login-username", error: "login-error", submit: "login-submit" }}
      />
    </main>
  );
}

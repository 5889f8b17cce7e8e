// First: the stub cloud, before any app module captures fetch.
import { cloud, json, sent, serve } from "../../../shared/test-utils/stub-cloud";
import { CLOUD_TOKEN_KEY } from "@tavolo/api";
import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { loseSession, sessionStore, signIn } from "../../../lib/session";
import { renderAt } from "../../../shared/test-utils/render";
import { LoginScreen } from "../components/login-screen";

const TOKEN = { access_token: "admin-token", token_type: "bearer" as const, expires_in: 3600 };

function renderLogin() {
  return renderAt("/", <LoginScreen />);
}

async function logIn(user: ReturnType<typeof renderLogin>["user"], username: string, password: string) {
  await user.type(screen.getByLabelText("Username"), username);
  if (password) await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

beforeEach(() => {
  cloud.mockReset();
  sessionStorage.clear();
  sessionStore.set({ signedIn: false, notice: null });
});

describe("the login", () => {
  it("signs in with username and password and keeps the token for this tab only", async () => {
    serve({ "POST /api/auth/login": () => json(200, TOKEN) });
    const { user } = renderLogin();
    await logIn(user, "admin", "admin-pass-1");
    await waitFor(() => expect(sessionStore.get().signedIn).toBe(true));
    expect(sessionStorage.getItem(CLOUD_TOKEN_KEY)).toBe("admin-token");
    expect(localStorage.length).toBe(0);
    const [request] = await sent();
    expect(request).toMatchObject({
      method: "POST",
      url: "/api/auth/login",
      body: { username: "admin", password: "admin-pass-1" },
    });
  });

  it("says the credentials are wrong, clears the password and stays signed out", async () => {
    serve({
      "POST /api/auth/login": () => json(401, { detail: "Wrong username or password", code: "INVALID_CREDENTIALS" }),
    });
    const { user } = renderLogin();
    await logIn(user, "admin", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(sessionStore.get()).toEqual({ signedIn: false, notice: null });
    expect(sessionStorage.length).toBe(0);
  });

  it("says how long to wait when the cloud throttles the logins", async () => {
    serve({
      "POST /api/auth/login": () =>
        json(429, { detail: "Too many failed logins; try again later", code: "LOGIN_THROTTLED" }, { "Retry-After": "240" }),
    });
    const { user } = renderLogin();
    await logIn(user, "admin", "guess");
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Too many failed logins. Try again in 4 min.");
  });

  it("still explains a throttled login without a Retry-After", async () => {
    serve({
      "POST /api/auth/login": () => json(429, { detail: "Too many failed logins", code: "LOGIN_THROTTLED" }),
    });
    const { user } = renderLogin();
    await logIn(user, "admin", "guess");
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Too many failed logins. Wait a few minutes");
  });

  it("says when the cloud cannot be reached", async () => {
    cloud.mockRejectedValue(new TypeError("Failed to fetch"));
    const { user } = renderLogin();
    await logIn(user, "admin", "admin-pass-1");
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Can't reach the licensing cloud");
  });

  it("asks for the password before sending anything", async () => {
    const { user } = renderLogin();
    await logIn(user, "admin", "");
    expect(screen.getByRole("alert")).toHaveTextContent("Enter your password.");
    expect(cloud).not.toHaveBeenCalled();
  });

  it("tells a sysadmin whose token the cloud refused why the login is back", () => {
    signIn(TOKEN);
    loseSession();
    expect(sessionStorage.length).toBe(0);
    renderLogin();
    expect(screen.getByTestId("login-notice")).toHaveTextContent("Your session ended");
  });
});

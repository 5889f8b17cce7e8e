// Login and logout. Login is the one request that may not go through the silent refresh: a 401 here means a
// wrong PIN, not an expired session.
import { ApiError, errorFrom, NetworkError, type TokenPair } from "@tavolo/api";
import { api } from "../../../lib/api";
import { signOut, tokens } from "../../../lib/session";

/** A waiter's PIN is right but this dashboard is for managers only. */
export const NOT_A_MANAGER = "NOT_A_MANAGER";

async function revoke(refreshToken: string | null): Promise<void> {
  const request = api.POST("/api/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
  // Logging out must not hang on a dead connection: the tablet forgets the session either way.
  await Promise.race([request, new Promise((resolve) => setTimeout(resolve, 3_000))]);
}

export async function login(username: string, pin: string): Promise<TokenPair> {
  const { data, error: body, response } = await api.POST("/api/auth/login", {
    body: { username: username.trim(), pin },
  });
  if (!response.ok || !data) {
    throw await errorFrom(
      new Response(JSON.stringify(body ?? null), { status: response.status, statusText: response.statusText }),
    );
  }
  if (data.user.role !== "manager") {
    // The waiter's session must not linger on a tablet they never meant to sign in to.
    await api.POST("/api/auth/logout", {
      body: { refresh_token: data.refresh_token },
      headers: { Authorization: `Bearer ${data.access_token}` },
    });
    throw new ApiError(403, NOT_A_MANAGER, "This dashboard is for managers.");
  }
  return data;
}

export async function logout(): Promise<void> {
  await revoke(tokens.refresh);
  signOut();
}

/** What the manager reads under the PIN pad. */
export function describeLoginError(error: unknown): string {
  if (error instanceof NetworkError) {
    return "Can't reach the Tavolo appliance. Check that this tablet is on the restaurant network, then try again.";
  }
  if (error instanceof ApiError) {
    if (error.code === NOT_A_MANAGER) return "This dashboard is for managers. Waiters use the waiter app.";
    if (error.code === "PIN_LOCKED") return `Account locked. ${error.message}`;
    if (error.code === "INVALID_CREDENTIALS" || error.status === 401) return "Wrong username or PIN.";
    if (error.status === 422) return "Enter your username and PIN.";
    if (error.status >= 500) return `The appliance had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return "Login failed. Try again.";
}

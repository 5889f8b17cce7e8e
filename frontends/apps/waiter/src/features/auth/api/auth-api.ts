// Login and logout. Login is the one request that may not go through the silent refresh: a 401 here means
// a wrong PIN, not an expired session.
import { ApiError, errorFrom, NetworkError, type TokenPair } from "@tavolo/api";
import { api } from "../../../lib/api";
import { signOut, tokens } from "../../../lib/session";

/** Too many wrong PINs (429 PIN_LOCKED); `until` is when the appliance lets this user try again, if it said. */
export class LoginLocked extends ApiError {
  readonly until: number | null;

  constructor(error: ApiError, until: number | null) {
    super(error.status, error.code, error.message, error.body);
    this.until = until;
  }
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get("Retry-After");
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Date.now() + seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : date;
}

export async function login(username: string, pin: string): Promise<TokenPair> {
  const { data, error: body, response } = await api.POST("/api/auth/login", {
    body: { username: username.trim(), pin },
  });
  if (response.ok && data) return data;
  // openapi-fetch has already read the response body: hand errorFrom a copy of what it parsed.
  const error = await errorFrom(
    new Response(JSON.stringify(body ?? null), { status: response.status, statusText: response.statusText }),
  );
  if (error.code === "PIN_LOCKED") throw new LoginLocked(error, retryAfter(response));
  throw error;
}

// Logging out must not hang on a dead Wi-Fi: the phone forgets the session either way.
const LOGOUT_WAIT_MS = 3_000;

export async function logout(): Promise<void> {
  const refreshToken = tokens.refresh;
  const revoke = api.POST("/api/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
  await Promise.race([revoke, new Promise((resolve) => setTimeout(resolve, LOGOUT_WAIT_MS))]);
  signOut();
}

function clock(time: number): string {
  return new Date(time).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** What the waiter reads under the PIN pad. */
export function describeLoginError(error: unknown, now: number = Date.now()): string {
  if (error instanceof NetworkError) {
    return "Can't reach the Tavolo appliance. Check that this phone is on the restaurant Wi-Fi, then try again.";
  }
  if (error instanceof LoginLocked) {
    if (error.until === null) return `Account locked. ${error.message}`;
    const minutes = Math.max(1, Math.ceil((error.until - now) / 60_000));
    return `Account locked after too many wrong PINs. Try again at ${clock(error.until)} (in ${minutes} min), or ask a manager to unlock it.`;
  }
  if (error instanceof ApiError) {
    if (error.code === "INVALID_CREDENTIALS" || error.status === 401) return "Wrong username or PIN.";
    if (error.status === 422) return "Enter your username and PIN.";
    if (error.status >= 500) return `The appliance had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return "Login failed. Try again.";
}

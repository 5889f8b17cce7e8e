// Signing in. Its 401 means wrong credentials, not an expired session: the client leaves the session alone for it.
import { ApiError, NetworkError, errorFrom, unwrap, type CloudToken, type Sysadmin } from "@tavolo/api";
import { cloud } from "../../../lib/api";
import { UNREACHABLE } from "../../../lib/errors";

/** Too many failed logins (429 LOGIN_THROTTLED); `until` is when the cloud takes another try, if it said. */
export class LoginThrottled extends ApiError {
  readonly until: number | null;

  constructor(error: ApiError, until: number | null) {
    super(error.status, error.code, error.message, error.body);
    this.until = until;
  }
}

function retryAfter(response: Response, now: number): number | null {
  const header = response.headers.get("Retry-After");
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return now + seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : date;
}

export async function login(username: string, password: string): Promise<CloudToken> {
  const { data, error: body, response } = await cloud.POST("/api/auth/login", {
    body: { username: username.trim(), password },
  });
  if (response.ok && data) return data;
  // openapi-fetch has already read the body into `body`: hand errorFrom a copy (the headers stay readable).
  const error = await errorFrom(
    new Response(JSON.stringify(body ?? null), { status: response.status, statusText: response.statusText }),
  );
  if (response.status === 429) throw new LoginThrottled(error, retryAfter(response, Date.now()));
  throw error;
}

export function fetchMe(): Promise<Sysadmin> {
  return unwrap(cloud.GET("/api/auth/me"));
}

/** What the sysadmin reads under the sign-in form. */
export function describeLoginError(error: unknown, now: number = Date.now()): string {
  if (error instanceof NetworkError) return UNREACHABLE;
  if (error instanceof LoginThrottled) {
    if (error.until === null) return "Too many failed logins. Wait a few minutes, then try again.";
    const minutes = Math.max(1, Math.ceil((error.until - now) / 60_000));
    return `Too many failed logins. Try again in ${minutes} min.`;
  }
  if (error instanceof ApiError) {
    if (error.code === "INVALID_CREDENTIALS" || error.status === 401) return "Wrong username or password.";
    if (error.status === 422) return "Enter your username and password.";
    if (error.status >= 500) return `The cloud had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return "Signing in failed. Try again.";
}

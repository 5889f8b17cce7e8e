// The phone remembers who last logged in on it, so a waiter's next login is just the PIN.
const KEY = "tavolo.lastUsername";

export function lastUsername(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

export function rememberUsername(username: string): void {
  try {
    localStorage.setItem(KEY, username);
  } catch {
    // Private mode or a full storage: remembering is a convenience, not a requirement.
  }
}

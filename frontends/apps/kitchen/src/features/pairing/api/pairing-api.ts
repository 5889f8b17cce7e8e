// Pairing on the screen itself: a manager signs in for the few seconds it takes, the appliance issues the screen
// its own token, and the manager is signed out again. The manager's tokens live in this object only (never in
// localStorage), so nothing of a staff session can outlive the pairing on a wall screen.
import {
  ApiError,
  createApplianceClient,
  unwrap,
  type Schemas,
  type TokenPair,
  type TokenStore,
  type User,
} from "@tavolo/api";

export type Zone = Schemas["PrinterRead"];
export type ScreenCreated = Schemas["ScreenCreated"];
export type ScreenCreate = Schemas["ScreenCreate"];

export class NotAManager extends Error {
  constructor() {
    super("Only a manager can pair a screen.");
    this.name = "NotAManager";
  }
}

function memoryTokens(): TokenStore {
  let pair: TokenPair | null = null;
  return {
    get access() {
      return pair?.access_token ?? null;
    },
    get refresh() {
      return pair?.refresh_token ?? null;
    },
    save(next) {
      pair = next;
    },
    clear() {
      pair = null;
    },
  };
}

export interface PairingSession {
  readonly signedIn: boolean;
  login(username: string, pin: string): Promise<User>;
  zones(): Promise<Zone[]>;
  createScreen(body: ScreenCreate): Promise<ScreenCreated>;
  /** Revoke the manager's session on the appliance and forget it here (never throws). */
  logout(): Promise<void>;
}

export function createPairingSession(): PairingSession {
  const tokens = memoryTokens();
  const client = createApplianceClient({ tokens });
  return {
    get signedIn() {
      return tokens.access !== null;
    },
    async login(username, pin) {
      const pair = await unwrap(client.POST("/api/auth/login", { body: { username: username.trim(), pin } }));
      tokens.save(pair);
      if (pair.user.role !== "manager") {
        await this.logout();
        throw new NotAManager();
      }
      return pair.user;
    },
    zones: () => unwrap(client.GET("/api/printers/")),
    createScreen: (body) => unwrap(client.POST("/api/kitchen/screens", { body })),
    async logout() {
      const refresh = tokens.refresh;
      if (tokens.access === null) return;
      try {
        await client.POST("/api/auth/logout", { body: refresh ? { refresh_token: refresh } : undefined });
      } catch {
        // Unreachable: the tokens are forgotten below all the same; the refresh token expires on its own.
      } finally {
        tokens.clear();
      }
    },
  };
}

/** A failed sign-in or pairing, in words. */
export function describePairingError(error: unknown): string {
  if (error instanceof NotAManager) return error.message;
  if (error instanceof ApiError) {
    if (error.status === 401) return "Wrong username or PIN.";
    if (error.status === 403) return "Only a manager can pair a screen.";
    return error.message;
  }
  return "The appliance cannot be reached. Check the screen's network and try again.";
}

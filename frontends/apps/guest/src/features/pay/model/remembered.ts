// The payment this phone asked for, per table code, in sessionStorage: a reload, or coming back from the UPI app
// to a browser that dropped the page, still shows how it went, even after the bill closed (the order view is
// then empty). Forgotten when the guest is done with it, and with the browser tab.
import { createStore, useStore } from "@tavolo/ui";

const PREFIX = "tavolo.guest.payment.";

const remembered = createStore<Readonly<Record<string, number | null>>>({});

function read(token: string): number | null {
  try {
    const id = Number(sessionStorage.getItem(PREFIX + token));
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

export function rememberedPayment(token: string): number | null {
  const known = remembered.get()[token];
  return known === undefined ? read(token) : known;
}

export function rememberPayment(token: string, id: number | null): void {
  try {
    if (id === null) sessionStorage.removeItem(PREFIX + token);
    else sessionStorage.setItem(PREFIX + token, String(id));
  } catch {
    // private mode: kept for this page only
  }
  remembered.set((all) => ({ ...all, [token]: id }));
}

export function useRememberedPayment(token: string): number | null {
  const all = useStore(remembered);
  const known = all[token];
  return known === undefined ? read(token) : known;
}

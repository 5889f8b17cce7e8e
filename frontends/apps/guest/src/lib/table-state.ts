// The table's live state on this phone: the shared cart and the table's order, fed by the guest socket and by
// the answers to this phone's own writes. The server's cart is the truth; of two carts the newer version wins,
// so a slow HTTP answer cannot undo a newer change another phone made meanwhile.
import type { GuestCart, GuestOrder } from "./types";

export interface TableState {
  cart: GuestCart | null;
  order: GuestOrder | null;
}

export const EMPTY_TABLE_STATE: TableState = { cart: null, order: null };

/** The newer of two carts (the current one on a tie: same version, same content). */
export function newerCart(current: GuestCart | null, next: GuestCart): GuestCart {
  return current !== null && current.version >= next.version ? current : next;
}

export type TableMessage =
  | { type: "snapshot"; data: { cart: GuestCart; order: GuestOrder } }
  | { type: "cart"; data: GuestCart }
  | { type: "order"; data: GuestOrder };

export function applyTableMessage(state: TableState, message: TableMessage): TableState {
  switch (message.type) {
    // A snapshot starts over: after a reconnect (or a new table session) it is the whole truth.
    case "snapshot":
      return { cart: message.data.cart, order: message.data.order };
    case "cart": {
      const cart = newerCart(state.cart, message.data);
      return cart === state.cart ? state : { ...state, cart };
    }
    case "order":
      return { ...state, order: message.data };
    default:
      return state;
  }
}

export function applyCart(state: TableState, next: GuestCart): TableState {
  const cart = newerCart(state.cart, next);
  return cart === state.cart ? state : { ...state, cart };
}

export function cartCount(cart: GuestCart | null): number {
  return cart ? cart.lines.reduce((sum, line) => sum + line.quantity, 0) : 0;
}

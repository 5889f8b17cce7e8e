// The app's external stores (session, connection, outbox) use the shared helper; this module keeps the import
// path the rest of the app already uses.
export { createStore, useStore, type Store } from "@tavolo/ui";

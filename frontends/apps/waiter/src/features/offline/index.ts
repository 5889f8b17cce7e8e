// Offline tolerance on screen: ConnectionBanner goes at the top of every screen; OutboxButton opens the queue
// (OutboxPanel) in a sheet, e.g. around the header's queued-count badge. The queue itself is lib/outbox.ts.
export { ConnectionBanner } from "./components/connection-banner";
export { OutboxButton } from "./components/outbox-button";
export { OutboxPanel } from "./components/outbox-panel";

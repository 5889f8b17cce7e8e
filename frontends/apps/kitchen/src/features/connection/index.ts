export { ConnectionStatus, StaleBanner } from "./components/connection-status";

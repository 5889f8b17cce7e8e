export { AlertBanner } from "./components/alert-banner";
export { ReadyBanner } from "./components/ready-banner";

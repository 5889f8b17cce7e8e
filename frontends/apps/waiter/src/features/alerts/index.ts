export { AlertBanner } from "./components/alert-banner";

export { AlertsBanner } from "./components/alerts-banner";

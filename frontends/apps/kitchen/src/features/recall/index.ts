export { RecallButton } from "./components/recall-button";

export { AllDayPanel } from "./components/all-day-panel";

export { TablesScreen } from "./components/tables-screen";

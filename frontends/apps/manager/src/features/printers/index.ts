export { PrintersScreen } from "./components/printers-screen";

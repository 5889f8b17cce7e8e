export { MenuScreen } from "./components/menu-screen";

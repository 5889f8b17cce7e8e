export { SitesScreen } from "./components/sites-screen";

export { SiteDetailScreen } from "./components/site-detail-screen";

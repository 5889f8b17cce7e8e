export { OrderScreen } from "./components/order-screen";

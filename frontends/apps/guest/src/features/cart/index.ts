export { Cart } from "./components/cart";

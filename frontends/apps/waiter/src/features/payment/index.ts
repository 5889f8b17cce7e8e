export { PaymentScreen } from "./components/payment-screen";

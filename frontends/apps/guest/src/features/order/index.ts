export { OrderScreen, SubmissionStatus } from "./components/order-screen";

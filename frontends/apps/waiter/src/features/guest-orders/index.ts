export { GuestCallsBanner } from "./components/guest-calls-banner";
export { GuestOrdersBanner } from "./components/guest-orders-banner";

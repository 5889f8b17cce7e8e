export { PaySection } from "./components/pay-section";
export { rememberedPayment, useRememberedPayment } from "./model/remembered";
export { sameName } from "./model/share";

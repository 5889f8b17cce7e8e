export { formatMoney } from "./money";

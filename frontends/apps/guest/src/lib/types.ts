// The guest API's shapes, from the appliance's OpenAPI (appliance.d.ts, `make api-types`): never typed by hand.
import type { Schemas } from "@tavolo/api";

export type GuestTable = Schemas["GuestTableRead"];
export type GuestMenu = Schemas["GuestMenuRead"];
export type GuestCategory = Schemas["GuestMenuCategory"];
export type GuestProduct = Schemas["GuestMenuProduct"];
export type GuestCart = Schemas["GuestCartRead"];
// Named through the cart, so a rename of the line schema does not break the app.
export type GuestCartLine = GuestCart["lines"][number];
export type GuestCartLineCreate = Schemas["GuestCartLineCreate"];
export type GuestSubmission = Schemas["GuestSubmissionRead"];
export type GuestOrder = Schemas["GuestOrderRead"];
export type GuestOrderItem = Schemas["GuestOrderItemRead"];
export type GuestCallKind = Schemas["GuestCallCreate"]["kind"];
export type GuestBillPayments = GuestOrder["payments"];
export type GuestPayment = Schemas["GuestPaymentRead"];
export type GuestPayCreate = Schemas["GuestPayCreate"];
export type GuestPayShare = GuestPayCreate["share"];

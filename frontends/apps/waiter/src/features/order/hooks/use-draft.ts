// The draft store lives in src/shared (the payment screen reads it too); the order feature uses it from here.
export { draftStore, moveDraft, resetDraftStores, useDraft } from "../../../shared/order-draft";

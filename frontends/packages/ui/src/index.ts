// Shared building blocks of the Tavolo apps. Import "@tavolo/ui/src/styles.css" once at the app's root for the
// design tokens (light, or dark when the device asks; an always-dark app also imports theme-dark.css after it);
// each component brings its own CSS.
export { formatMoney } from "./money";
export { formatElapsed, useNow } from "./time";
export { createStore, useStore, type Store } from "./store";
export { Banner, type BannerProps, type BannerTone } from "./components/banner";
export { Button, type ButtonProps, type ButtonVariant } from "./components/button";
export { EmptyState, type EmptyStateProps } from "./components/empty-state";
export { FormError } from "./components/form-error";
export { Money, type MoneyProps } from "./components/money";
export { PinPad, type PinPadProps } from "./components/pin-pad";
export { Sheet, type SheetProps } from "./components/sheet";
export { Spinner } from "./components/spinner";
export { StaffPinForm, type StaffPinCredentials, type StaffPinFormProps } from "./components/staff-pin-form";

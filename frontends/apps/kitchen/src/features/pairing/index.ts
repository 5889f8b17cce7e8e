export { PairScreen } from "./components/pair-screen";
export { ScreenMenu } from "./components/screen-menu";

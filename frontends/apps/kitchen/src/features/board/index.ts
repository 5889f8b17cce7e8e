export { BoardScreen } from "./components/board-screen";

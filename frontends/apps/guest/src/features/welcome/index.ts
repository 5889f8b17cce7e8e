export { NicknameForm } from "./components/nickname-form";

export { LoginScreen } from "./components/login-screen";
export { LogoutButton } from "./components/logout-button";

// Routes of the waiter app. Screens come from features; the app shell holds what every screen shows.
import { Route, Switch } from "wouter";
import { useUser } from "./lib/session";

export function App() {
  const user = useUser();
  if (!user) return <p>Login comes here</p>;
  return (
    <Switch>
      <Route path="/">Tables come here</Route>
    </Switch>
  );
}

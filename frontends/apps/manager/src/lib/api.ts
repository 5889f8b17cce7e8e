// The one appliance client of the dashboard.
import { createApplianceClient } from "@tavolo/api";
import { reportReachability } from "./connection";
import { signOut, tokens } from "./session";

export const api = createApplianceClient({
  tokens,
  onAuthLost: signOut,
  onReachability: reportReachability,
});

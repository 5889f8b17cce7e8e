// The one appliance client of this app.
import { createApplianceClient } from "@tavolo/api";
import { reportReachability } from "./connection";
import { loseSession, tokens } from "./session";

export const api = createApplianceClient({
  tokens,
  onAuthLost: loseSession,
  onReachability: reportReachability,
});

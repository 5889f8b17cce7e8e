// The one cloud client of the panel.
import { createCloudClient } from "@tavolo/api";
import { reportReachability } from "./connection";
import { loseSession, tokens } from "./session";

export const cloud = createCloudClient({ tokens, onAuthLost: loseSession, onReachability: reportReachability });

// The one appliance client of the guest app. Guests never sign in: the table's token in the path is the only
// credential, so the token store is always empty and no Authorization header is ever sent.
import { createApplianceClient, type TokenStore } from "@tavolo/api";
import { reportReachability } from "./connection";

const noTokens: TokenStore = {
  access: null,
  refresh: null,
  save() {},
  clear() {},
};

export const api = createApplianceClient({ tokens: noTokens, onReachability: reportReachability });

// The one appliance client of the screen: its kds_ token is the bearer and is never renewed. A refused token
// makes the client clear the token store (screen.ts), which unpairs the screen.
import { createApplianceClient } from "@tavolo/api";
import { screenTokens } from "./screen";

export const api = createApplianceClient({ tokens: screenTokens });

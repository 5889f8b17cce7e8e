import { ApiError, NetworkError } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { describeError } from "../errors";

describe("a failed request in words", () => {
  it("is the appliance's own message when it refused", () => {
    expect(describeError(new ApiError(409, "TABLE_BUSY", "Table 4 has an open order"))).toBe(
      "Table 4 has an open order",
    );
  });

  it("does not pass on a server failure's text", () => {
    expect(describeError(new ApiError(500, "INTERNAL", "Traceback…"))).toBe(
      "The appliance had a problem (500). Try again.",
    );
  });

  it("says when the appliance cannot be reached", () => {
    expect(describeError(new NetworkError())).toMatch(/Can't reach the Tavolo appliance/);
    expect(describeError("nonsense")).toBe("Something went wrong. Try again.");
  });
});

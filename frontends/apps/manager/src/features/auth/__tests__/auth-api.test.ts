import { ApiError, NetworkError } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { NOT_A_MANAGER, describeLoginError } from "../api/auth-api";

describe("describeLoginError", () => {
  it("tells a waiter this dashboard is for managers", () => {
    expect(describeLoginError(new ApiError(403, NOT_A_MANAGER, "x"))).toMatch(/for managers/);
  });

  it("says a wrong PIN plainly", () => {
    expect(describeLoginError(new ApiError(401, "INVALID_CREDENTIALS", "nope"))).toBe("Wrong username or PIN.");
  });

  it("says when the appliance cannot be reached", () => {
    expect(describeLoginError(new NetworkError())).toMatch(/Can't reach the Tavolo appliance/);
  });

  it("passes the appliance's words on for a locked account", () => {
    expect(describeLoginError(new ApiError(429, "PIN_LOCKED", "Try again in 5 minutes."))).toBe(
      "Account locked. Try again in 5 minutes.",
    );
  });
});

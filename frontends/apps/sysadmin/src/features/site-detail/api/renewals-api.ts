import { unwrap, type CloudSchemas } from "@tavolo/api";
import { cloud } from "../../../lib/api";

export type Renewal = CloudSchemas["RenewalRead"];
export type RenewalStatus = CloudSchemas["RenewalStatus"];

export interface CreatedRenewal {
  renewal: Renewal;
  /** False when the cloud answered 200: this request (its Idempotency-Key) had already made the link. */
  created: boolean;
}

const path = (siteId: string) => ({ site_id: siteId });

/** The site's renewals and their payments, newest first. */
export function fetchRenewals(siteId: string, signal?: AbortSignal): Promise<Renewal[]> {
  return unwrap(cloud.GET("/api/sites/{site_id}/renewals", { params: { path: path(siteId) }, signal }));
}

/**
 * A Razorpay payment link for `months`. `key` is the Idempotency-Key of this one intent: a retry after a lost
 * answer (the cloud waits on Razorpay, which can outlast the panel's timeout) gets the link already made.
 */
export async function createRenewal(siteId: string, months: number, key: string): Promise<CreatedRenewal> {
  const result = cloud.POST("/api/sites/{site_id}/renewals", {
    params: { path: path(siteId), header: { "Idempotency-Key": key } },
    body: { months },
  });
  const renewal = await unwrap(result);
  const { response } = await result;
  return { renewal, created: response.status === 201 };
}

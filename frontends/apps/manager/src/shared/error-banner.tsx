import { Banner } from "@tavolo/ui";
import { describeError } from "./errors";

/** A request that failed, across the screen or a form: what failed as the title, the appliance's words under it. */
export function ErrorBanner({ title, error, testId }: { title: string; error: unknown; testId?: string }) {
  return (
    <Banner tone="error" title={title} data-testid={testId}>
      {describeError(error)}
    </Banner>
  );
}

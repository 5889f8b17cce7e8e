import type { ReactNode } from "react";
import "./empty-state.css";

export interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  "data-testid"?: string;
}

/** What a list shows when it has nothing, with what to do about it. */
export function EmptyState({ title, children, action, ...rest }: EmptyStateProps) {
  return (
    <div {...rest} className="ui-empty">
      <p className="ui-empty__title">{title}</p>
      {children && <div className="ui-empty__body">{children}</div>}
      {action && <div className="ui-empty__action">{action}</div>}
    </div>
  );
}

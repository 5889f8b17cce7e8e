import type { HTMLAttributes, ReactNode } from "react";
import "./banner.css";

export type BannerTone = "info" | "warn" | "error";

export interface BannerProps extends Omit<HTMLAttributes<HTMLDivElement>, "title"> {
  tone?: BannerTone;
  title?: ReactNode;
  /** A button or link on the right ("Retry", "OK"). */
  action?: ReactNode;
  /** Smaller, for something already seen but not yet resolved. */
  compact?: boolean;
}

/** A message across the screen. Errors interrupt a screen reader (role="alert"); the rest wait politely. */
export function Banner({ tone = "info", title, action, compact = false, className, children, role, ...rest }: BannerProps) {
  const classes = ["ui-banner", `ui-banner--${tone}`];
  if (compact) classes.push("ui-banner--compact");
  if (className) classes.push(className);
  return (
    <div {...rest} role={role ?? (tone === "error" ? "alert" : "status")} className={classes.join(" ")}>
      <div className="ui-banner__text">
        {title && <strong className="ui-banner__title">{title}</strong>}
        {children && <div className="ui-banner__body">{children}</div>}
      </div>
      {action && <div className="ui-banner__action">{action}</div>}
    </div>
  );
}

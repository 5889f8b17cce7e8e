import type { HTMLAttributes } from "react";
import "./form-error.css";

/** Why a form was not sent or was refused, under its fields; read out at once (role="alert"). */
export function FormError({ className, ...rest }: HTMLAttributes<HTMLParagraphElement>) {
  return <p role="alert" {...rest} className={className ? `ui-form-error ${className}` : "ui-form-error"} />;
}

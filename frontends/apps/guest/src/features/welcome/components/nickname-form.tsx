// The nickname: how the others at the table see who added what. Asked once per table code, editable later.
import { Button } from "@tavolo/ui";
import { useId, useState, type FormEvent } from "react";
import { useStrings } from "../../../lib/i18n";
import { NICKNAME_MAX, cleanNickname, saveNickname } from "../../../lib/nickname";
import "./welcome.css";

export interface NicknameFormProps {
  token: string;
  initial: string;
  /** Shown first (a welcome) or from the header (a change). */
  mode: "welcome" | "edit";
  onDone: () => void;
}

export function NicknameForm({ token, initial, mode, onDone }: NicknameFormProps) {
  const t = useStrings();
  const id = useId();
  const [value, setValue] = useState(initial);
  const clean = cleanNickname(value);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!clean) return;
    saveNickname(token, clean);
    onDone();
  }

  return (
    <form className="g-nickname" onSubmit={submit} data-testid="nickname-form">
      {mode === "welcome" && <h2 className="g-nickname__title">{t.welcomeTitle}</h2>}
      <label className="g-nickname__prompt" htmlFor={id}>
        {t.nicknamePrompt}
      </label>
      <input
        id={id}
        type="text"
        autoComplete="nickname"
        enterKeyHint="go"
        maxLength={NICKNAME_MAX}
        placeholder={t.nicknameLabel}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        data-testid="nickname-input"
      />
      <p className="g-muted">{t.nicknameHint}</p>
      <Button type="submit" variant="primary" size="large" block disabled={!clean} data-testid="nickname-save">
        {mode === "welcome" ? t.nicknameStart : t.nicknameSave}
      </Button>
    </form>
  );
}

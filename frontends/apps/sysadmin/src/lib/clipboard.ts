// Copying a secret. navigator.clipboard exists only in secure contexts (HTTPS or localhost); a panel reached over
// plain HTTP falls back to selecting the text (and the old execCommand copy where the browser still has it), so
// the sysadmin can always press Ctrl+C.

export type CopyResult = "copied" | "selected";

export async function copyText(text: string, element: HTMLElement | null): Promise<CopyResult> {
  try {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      await navigator.clipboard.writeText(text);
      return "copied";
    }
  } catch {
    // Refused (no permission, document not focused): select instead.
  }
  if (element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    try {
      if (typeof document.execCommand === "function" && document.execCommand("copy")) return "copied";
    } catch {
      // Not supported: the selection stays for Ctrl+C.
    }
  }
  return "selected";
}

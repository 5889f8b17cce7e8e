// Hold to open the product sheet on a product that a tap adds at once. iOS fires no contextmenu on a
// long touch, hence the timer; Android and a mouse's right button fire contextmenu, which also opens it.
import { useEffect, useRef, type MouseEvent, type PointerEvent } from "react";

const HOLD_MS = 450;

export function useLongPress(onTap: () => void, onHold: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const held = useRef(false);

  function cancel() {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }

  useEffect(() => cancel, []);

  function hold() {
    cancel();
    if (held.current) return;
    held.current = true;
    onHold();
  }

  return {
    onPointerDown(event: PointerEvent) {
      if (event.button !== 0) return;
      held.current = false;
      cancel();
      timer.current = setTimeout(hold, HOLD_MS);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
    onContextMenu(event: MouseEvent) {
      event.preventDefault();
      hold();
    },
    onClick() {
      cancel();
      // The click that ends a hold must not also add the product.
      if (held.current) {
        held.current = false;
        return;
      }
      onTap();
    },
  };
}

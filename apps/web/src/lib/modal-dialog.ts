// Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert and Escape
// closes it (https://html.spec.whatwg.org/multipage/interactive-elements.html#the-dialog-element);
// we choose where focus starts, wrap Tab at the dialog's ends (the browser would move on to its own
// toolbar), and make sure focus returns to the button that opened it.

/**
 * Opens `dialog` as a modal from `opener`, moves focus to `initialFocus` (default: the dialog's
 * first focusable element, the browser's choice), and on close gives focus back to `opener` unless
 * the browser already did or the person moved on.
 */
export function showModalFrom(
  dialog: HTMLDialogElement,
  opener: HTMLElement | null,
  initialFocus?: HTMLElement | null,
): void {
  // Already open when the button's native `command="show-modal"` got there first.
  if (!dialog.open) dialog.showModal();
  initialFocus?.focus();
  dialog.addEventListener(
    "close",
    () => {
      const active = document.activeElement;
      const lost = !active || active === document.body || dialog.contains(active);
      if (lost && opener?.isConnected) opener.focus();
    },
    { once: true },
  );
}

/**
 * Attributes that let a button open a dialog with no script (the Invoker Commands API), so a click
 * made before the page's JavaScript has loaded still opens it. React does not know them yet.
 */
export function opensDialog(dialogId: string): Record<string, string> {
  return { commandfor: dialogId, command: "show-modal" };
}

const TABBABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Tab from the dialog's last control goes to its first, Shift+Tab from the first to the last.
 * Call once the dialog is mounted; returns the function that stops it.
 */
export function keepFocusInside(dialog: HTMLDialogElement): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Tab" || !dialog.open) return;
    const stops = [...dialog.querySelectorAll<HTMLElement>(TABBABLE)].filter(
      (element) => !element.matches(":disabled") && element.getClientRects().length > 0,
    );
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    const target = event.shiftKey
      ? active === first || !dialog.contains(active)
        ? last
        : null
      : active === last || !dialog.contains(active)
        ? first
        : null;
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  dialog.addEventListener("keydown", onKeyDown);
  return () => dialog.removeEventListener("keydown", onKeyDown);
}

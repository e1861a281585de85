// Modal dialogs that give focus back: whatever had focus before one opened
// has it again after it closes (Esc, a Close button or a submit). The list
// is redrawn on every live update, so an opener is also found again by its
// data-focus-key.
const openers = new WeakMap<HTMLDialogElement, { element: Element | null; key: string | null }>();

export function openDialog(dialog: HTMLDialogElement, focus?: HTMLElement) {
  if (dialog.open) return;
  const element = document.activeElement;
  openers.set(dialog, { element, key: element?.getAttribute("data-focus-key") ?? null });
  dialog.showModal();
  focus?.focus();
}

/** Once per dialog: on close, focus goes back to its opener (or its redrawn twin). */
export function returnFocusOnClose(dialog: HTMLDialogElement) {
  dialog.addEventListener("close", () => {
    const opener = openers.get(dialog);
    const again =
      opener?.element instanceof HTMLElement && opener.element.isConnected
        ? opener.element
        : opener?.key
          ? document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(opener.key)}"]`)
          : null;
    (again ?? document.getElementById("quick-text"))?.focus();
  });
}

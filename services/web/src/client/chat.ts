// The chat over /api/chat, in a dialog opened from the header: available,
// out of the way of the list.
import { api } from "./api.ts";
import { $, h } from "./dom.ts";
import { openDialog } from "./dialogs.ts";

export function setUpChat(changed: () => Promise<void>, failed: (err: unknown) => void) {
  let conversationId: string | undefined;
  $("chat-open").addEventListener("click", () =>
    openDialog($<HTMLDialogElement>("chat-dialog"), $<HTMLInputElement>("chat-message")),
  );
  $<HTMLFormElement>("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("chat-message");
    const message = input.value;
    $("chat-log").append(h("li", {}, h("strong", {}, "You: "), message));
    input.value = "";
    api<{ conversation_id: string; reply: string }>("POST", "/chat", {
      conversation_id: conversationId,
      message,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    })
      .then(async (reply) => {
        conversationId = reply.conversation_id;
        $("chat-log").append(h("li", {}, h("strong", {}, "Assistant: "), reply.reply));
        await changed();
      })
      .catch(failed);
  });
}

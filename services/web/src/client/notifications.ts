// The bell: unread reminders as a count in the header, the feed in a dialog.
import type { FeedPage } from "@todo/shared/contracts/invocations";
import { api } from "./api.ts";
import { $, formatWhen, h } from "./dom.ts";
import { openDialog } from "./dialogs.ts";

export async function refreshNotifications() {
  const page = await api<FeedPage>("GET", "/notifications");
  const unread = page.unread_count ?? page.items.filter((n) => !n.read_at).length;
  $("unread").textContent = String(unread);
  $("unread").hidden = unread === 0;
  $("bell").setAttribute("aria-label", `Notifications, ${unread} unread`);
  $("notifications").replaceChildren(
    ...(page.items.length ? [] : [h("li", { class: "meta" }, "No reminders yet.")]),
    ...page.items.map((n) =>
      h(
        "li",
        { class: n.read_at ? undefined : "unread" },
        `${n.title} `,
        h("span", { class: "meta" }, `due ${formatWhen(n.due_at ?? null)} `),
        n.read_at
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "quiet",
                "aria-label": `Mark “${n.title}” read`,
                onclick: async () => {
                  await api("POST", `/notifications/${n.id}/read`);
                  await refreshNotifications();
                },
              },
              "Mark read",
            ),
      ),
    ),
  );
}

export function setUpBell(failed: (err: unknown) => void) {
  $("bell").addEventListener("click", () => {
    openDialog($<HTMLDialogElement>("notes-dialog"));
    refreshNotifications().catch(failed);
  });
}

// The reminder email: the task's title and its due time in words, in the
// configured zone, in the subject and the body.

export interface ReminderEmail {
  subject: string;
  text: string;
}

export function readableTime(iso: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(iso);
}

export function composeReminder(n: { title: string; dueAt: Date; name?: string | null }, zone: string): ReminderEmail {
  const due = readableTime(n.dueAt, zone);
  return {
    subject: `Reminder: ${n.title} (due ${due})`,
    text: [`Hello${n.name ? ` ${n.name}` : ""},`, "", `your task "${n.title}" is due ${due}.`, "", "— Todo"].join("\n"),
  };
}

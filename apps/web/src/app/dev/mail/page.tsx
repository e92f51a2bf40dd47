import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { caughtMails } from "~/server/mail/catcher";
import { mailCatcherEnabled } from "~/server/mail/transport";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Mail (development)", referrer: "no-referrer" };

/** Development only: the account mails this process "sent" (404 under NODE_ENV=production). */
export default function DevMailPage() {
  if (!mailCatcherEnabled()) notFound();
  const mails = caughtMails();
  return (
    <main>
      <h1>Mail caught in development</h1>
      <p className="muted">
        Without SMTP_URL the app keeps its mails here (and prints them on the console). Newest
        first.
      </p>
      {mails.length === 0 && <p>No mail yet.</p>}
      {mails.map((mail, index) => (
        <article key={`${mail.at.getTime()}-${index}`} className="card" aria-label={mail.subject}>
          <h2>{mail.subject}</h2>
          <p className="muted">
            To {mail.to} at {mail.at.toISOString()}
          </p>
          <pre style={{ whiteSpace: "pre-wrap" }}>{linkify(mail.text)}</pre>
        </article>
      ))}
    </main>
  );
}

/** Lines that are links to this app become links (the mails' links are all on its own origin). */
function linkify(text: string) {
  return text.split("\n").map((line, index) => (
    <span key={index}>
      {/^https?:\/\/\S+$/.test(line) ? <a href={line}>{line}</a> : line}
      {"\n"}
    </span>
  ));
}

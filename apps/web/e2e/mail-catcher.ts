// A tiny SMTP server for the browser tests (started by playwright.config.ts as a webServer): the app
// sends its account mail here over real SMTP (nodemailer → smtp-server), and each received mail is
// written as JSON into E2E_MAIL_DIR, where the tests read it (see mail.ts).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { e2eEnv } from "./env";

const port = e2eEnv.smtpPort;
const dir = e2eEnv.mailDir;
if (!dir) throw new Error("E2E_MAIL_DIR is not set");
mkdirSync(dir, { recursive: true });

let received = 0;
const server = new SMTPServer({
  // Loopback only, no TLS and no login: the app's SMTP_URL is smtp://127.0.0.1:<port>.
  disabledCommands: ["STARTTLS", "AUTH"],
  authOptional: true,
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received += 1;
        const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [])
          .flatMap((address) => address.value.map((v) => v.address ?? ""))
          .filter(Boolean);
        const record = {
          to,
          from: mail.from?.value[0]?.address ?? null,
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          at: new Date().toISOString(),
        };
        const name = `${Date.now()}-${String(received).padStart(6, "0")}.json`;
        // Written whole, then visible: the tests never read half a mail.
        writeFileSync(join(dir, `.${name}`), JSON.stringify(record));
        renameSync(join(dir, `.${name}`), join(dir, name));
        callback();
      })
      .catch((error: unknown) => callback(error as Error));
  },
});

server.listen(port, "127.0.0.1", () => console.log(`mail catcher on smtp://127.0.0.1:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => server.close(() => process.exit(0)));

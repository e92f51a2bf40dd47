import { UNSENT_KEY } from "~/lib/acs-session";

/** Served from public/: a few hundred bytes of plain DOM code, the start page's only script. */
export const UNSENT_NOTICE_SCRIPT = "/unsent-notice.js";

/**
 * After a forced sign-out: the messages that were still waiting to be sent, so nothing is lost
 * silently. They live in this tab's sessionStorage, so the browser shows them: the script fills
 * this slot with an alert listing them and a "Dismiss" button. `nonce`: the page's CSP nonce.
 */
export function UnsentNotice({ nonce }: { nonce: string }) {
  return (
    <>
      <div id="unsent-notice" data-storage-key={UNSENT_KEY} />
      <script src={UNSENT_NOTICE_SCRIPT} nonce={nonce} defer />
    </>
  );
}

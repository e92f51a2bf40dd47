// Loads the Azure SDK for JS test recordings of real ACS (../shared/acs-recordings, see SOURCES.md
// there): one file = one live test session, grouped by the test suite's folder.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const RECORDINGS_DIR = fileURLToPath(
  new URL("../../../../../shared/acs-recordings", import.meta.url),
);

export interface RecordedExchange {
  readonly method: string;
  /** `https://endpoint/<path>?<query>` as recorded (the endpoint is sanitised). */
  readonly uri: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: unknown;
  readonly status: number;
  /** Lower-case names. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: unknown;
}

export interface RecordedSession {
  /** Path under RECORDINGS_DIR, e.g. `identity-1.3.0/…_error_cases_/recording_….json`. */
  readonly file: string;
  /** The test suite's folder: sessions of one folder ran in that order and share their data. */
  readonly suite: string;
  readonly exchanges: readonly RecordedExchange[];
  /** Date of the first answer (orders the sessions of a suite); 0 when the session made no request. */
  readonly startedAt: number;
}

interface RawEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function readSession(file: string): RecordedSession {
  const raw = JSON.parse(readFileSync(path.join(RECORDINGS_DIR, file), "utf8")) as {
    Entries: RawEntry[];
  };
  const exchanges = raw.Entries.map((e) => ({
    method: e.RequestMethod,
    uri: e.RequestUri,
    requestHeaders: lowerCaseKeys(e.RequestHeaders),
    requestBody: e.RequestBody,
    status: e.StatusCode,
    responseHeaders: lowerCaseKeys(e.ResponseHeaders),
    responseBody: e.ResponseBody,
  }));
  const date = exchanges[0]?.responseHeaders.date;
  return {
    file,
    suite: path.dirname(file),
    exchanges,
    startedAt: date === undefined ? 0 : Date.parse(date),
  };
}

/**
 * Tie-break for sessions whose first answer has the same Date (one-second resolution): the order in
 * which the upstream chatThreadClient spec ran them, consistent with what each session observed
 * (the thread's topic before and after the updates, the participant list before the removal).
 */
const RUN_ORDER = [
  "recording_successfully_initializes_chatthreadclient.json",
  "recording_successfully_gets_the_thread_properties.json",
  "recording_successfully_updates_the_thread_topic.json",
  "recording_successfully_updates_the_thread_metadata.json",
  "recording_successfully_sends_a_message.json",
  "recording_successfully_sends_typing_notification.json",
  "recording_successfully_retrieves_a_message.json",
  "recording_successfully_lists_messages_one_by_one_and_by_page.json",
  "recording_successfully_sends_read_receipt.json",
  "recording_successfully_deletes_a_message.json",
  "recording_successfully_adds_participants.json",
  "recording_successfully_lists_participants.json",
  "recording_successfully_remove_a_participant.json",
  "recording_successfully_lists_read_receipts.json",
];

const runOrder = (session: RecordedSession) => RUN_ORDER.indexOf(path.basename(session.file));

/** Every recorded session, suites in name order, sessions of a suite in the order they ran. */
export function loadRecordedSessions(): RecordedSession[] {
  const files: string[] = [];
  for (const product of readdirSync(RECORDINGS_DIR, { withFileTypes: true })) {
    if (!product.isDirectory()) continue;
    for (const suite of readdirSync(path.join(RECORDINGS_DIR, product.name))) {
      for (const file of readdirSync(path.join(RECORDINGS_DIR, product.name, suite))) {
        if (file.endsWith(".json")) files.push(path.join(product.name, suite, file));
      }
    }
  }
  return files
    .map(readSession)
    .sort(
      (a, b) =>
        a.suite.localeCompare(b.suite) || a.startedAt - b.startedAt || runOrder(a) - runOrder(b),
    );
}

// After every browser run: the web server's log (LOG_FILE, set by playwright.config.ts) holds only
// JSON lines and no token, key, secret, password or email. Fails the run otherwise.
import { e2eEnv } from "./env";
import { logProblems, readLogText } from "./log-scan";

export default function scanServerLog(): void {
  // E2E_REUSE_SERVER runs against a server started by hand, which may log elsewhere.
  if (e2eEnv.reuseServer) return;
  const lines = readLogText(e2eEnv.logFile);
  // An empty scan would pass whatever the server logged: the run's server must have written here.
  if (lines.length === 0) throw new Error(`No server log lines in "${e2eEnv.logFile}" to scan.`);
  const problems = logProblems(lines);
  if (problems.length > 0) {
    throw new Error(
      `The server log ${e2eEnv.logFile} (${lines.length} lines) breaks the log rules:\n${problems.slice(0, 50).join("\n")}`,
    );
  }
  console.log(`Server log scanned: ${lines.length} JSON lines, no secrets.`);
}

// An SDK pipeline policy that keeps every raw answer the official client received (status, headers,
// body text), so tests can check what the SDK does not surface: headers, `target`, date formats.
import type { IdentityClientPolicy } from "../support/emulator";

export interface CapturedAnswer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export interface AnswerCapture {
  readonly policy: IdentityClientPolicy;
  readonly answers: CapturedAnswer[];
  /** The newest answer; throws when there is none. */
  last(): CapturedAnswer;
}

export function captureAnswers(): AnswerCapture {
  const answers: CapturedAnswer[] = [];
  return {
    answers,
    last() {
      const answer = answers.at(-1);
      if (!answer) throw new Error("no answer captured");
      return answer;
    },
    policy: {
      position: "perRetry",
      policy: {
        name: "captureAnswers",
        async sendRequest(request, next) {
          const response = await next(request);
          const headers: Record<string, string> = {};
          for (const [name, value] of response.headers) headers[name.toLowerCase()] = value;
          answers.push({
            method: request.method,
            url: request.url,
            status: response.status,
            headers,
            body: response.bodyAsText ?? undefined,
          });
          return response;
        },
      },
    },
  };
}

/** The parsed `{"error":{…}}` of an answer. */
export function errorOf(answer: CapturedAnswer): unknown {
  return (JSON.parse(answer.body ?? "null") as { error?: unknown } | null)?.error;
}

"use client";
import Link from "next/link";

/** Never a blank page: say what happened and offer a way on. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main>
      <h1>Something went wrong</h1>
      <p role="alert">
        This page could not be shown. It may be a passing problem with the chat service; trying
        again usually helps.
      </p>
      {error.digest && <p className="muted">Reference: {error.digest}</p>}
      <p style={{ display: "flex", gap: "1rem" }}>
        <button type="button" onClick={() => reset()}>
          Try again
        </button>
        <Link href="/">Go to the start page</Link>
      </p>
    </main>
  );
}

"use client";
// One read from the server for a component: started when `key` is set and again whenever it changes,
// the previous read aborted. A few directory searches and the identity are all the signed-in pages
// read this way, so a query library (about 11 KiB gzip of every page's initial JavaScript) is not
// worth its weight here.
import { useCallback, useEffect, useRef, useState } from "react";

export interface ReadResult<T> {
  /** The latest answer for this key (kept while it is read again). */
  data: T | undefined;
  /** Why the latest read for this key failed, else null. */
  error: Error | null;
  /** True until the first answer for this key. */
  isLoading: boolean;
  isSuccess: boolean;
  /** Reads again (the answer so far stays until the new one arrives). */
  readonly refetch: () => void;
}

interface Answer<T> {
  key: string;
  data?: T;
  error?: Error;
}

/** `key` null: nothing is read. `read` must read what `key` names. */
export function useRead<T>(
  key: string | null,
  read: (signal: AbortSignal) => Promise<T>,
): ReadResult<T> {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  const latestRead = useRef(read);
  useEffect(() => {
    latestRead.current = read;
  });
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    latestRead.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setAnswer({ key, data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        setAnswer((previous) => ({ ...previous, key, error: failure }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);
  const refetch = useCallback(() => setGeneration((n) => n + 1), []);
  const current = key !== null && answer?.key === key ? answer : null;
  return {
    data: current?.data,
    error: current?.error ?? null,
    isLoading: key !== null && current === null,
    isSuccess: current !== null && current.error === undefined,
    refetch,
  };
}

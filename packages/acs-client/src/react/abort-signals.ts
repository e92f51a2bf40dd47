"use client";
// Signals for the hooks' waits: a wait ends when its caller aborts or its component unmounts.
import { useCallback, useEffect, useRef } from "react";
import { SessionWaitAbortedError } from "./session-gate";

/** A signal that aborts when the component unmounts (read it in event handlers, after mount). */
export function useUnmountSignal(): () => AbortSignal | undefined {
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    const current = new AbortController();
    controller.current = current;
    return () => current.abort();
  }, []);
  return useCallback(() => controller.current?.signal, []);
}

export function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** `promise`, or a rejection as soon as `signal` aborts (the work itself is not undone). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new SessionWaitAbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SessionWaitAbortedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

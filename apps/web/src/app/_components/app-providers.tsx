"use client";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "~/trpc/react";

export function AppProviders({ children }: { userId: string; displayName: string; children: ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}

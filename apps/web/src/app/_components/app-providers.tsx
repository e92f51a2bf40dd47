"use client";
import type { ReactNode } from "react";

export function AppProviders({ children }: { userId: string; children: ReactNode }) {
  return <>{children}</>;
}

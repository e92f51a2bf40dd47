import type { Metadata } from "next";
import { AccountView } from "./account-view";

export const metadata: Metadata = { title: "Account" };

export default function AccountPage() {
  return (
    <main>
      <h1>Your ACS identity</h1>
      <AccountView />
    </main>
  );
}

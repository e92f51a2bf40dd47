import type { Metadata } from "next";
import { ForgotPasswordForm } from "../_components/email-link-forms";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main>
      <h1>Forgot your password?</h1>
      <p>Enter the email of your account and we mail you a link to choose a new password.</p>
      <ForgotPasswordForm />
    </main>
  );
}

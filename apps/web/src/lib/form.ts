/** A text field of a submitted form ("" when absent or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** What a form shows after it was sent (server actions and the start page's form posts). */
export interface FormState {
  error?: string;
  field?: string;
  /** Values sent back so the form keeps what the person typed (never the password). */
  email?: string;
  displayName?: string;
  /** A mail is on its way (said the same whether or not the address has an account). */
  sent?: boolean;
}

/** One account mail, plain text (links are the whole point; no HTML to render or sanitise). */
export interface AccountMail {
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  send(mail: AccountMail): Promise<void>;
}

import Document, {
  Head,
  Html,
  Main,
  NextScript,
  type DocumentContext,
  type DocumentInitialProps,
} from "next/document";

interface Props extends DocumentInitialProps {
  /** The CSP nonce src/proxy.ts made for this response. */
  nonce?: string;
}

/**
 * `<html lang>` for the start page. In production that page loads no Next.js scripts; `next dev`
 * does (HMR), and under the page's CSP (`'strict-dynamic'`) they run only with the nonce.
 */
export default class StartDocument extends Document<Props> {
  static override async getInitialProps(context: DocumentContext): Promise<Props> {
    const initial = await Document.getInitialProps(context);
    const nonce = context.req?.headers["x-nonce"];
    return { ...initial, nonce: typeof nonce === "string" ? nonce : undefined };
  }

  override render() {
    return (
      <Html lang="en">
        <Head nonce={this.props.nonce} />
        <body>
          <Main />
          <NextScript nonce={this.props.nonce} />
        </body>
      </Html>
    );
  }
}

// The Pages Router's app shell, for its one page (index.tsx, the start page). The fonts and global
// CSS of the App Router's root layout; a wrapper carries the font classes, which the root layout
// puts on <html> (next/font cannot be used in _document).
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { AppProps } from "next/app";
import "../app/globals.css";
import "../app/_components/forms.css";

export default function App({ Component, pageProps }: AppProps) {
  return (
    <div className={`${GeistSans.variable} ${GeistMono.variable} ${GeistSans.className}`}>
      <Component {...pageProps} />
    </div>
  );
}

import type { MetadataRoute } from "next";

/** The web app manifest (served at /manifest.webmanifest): installed, the app opens on the chats. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "acs-stack chat",
    short_name: "acs-stack",
    description: "Secure Azure Communication Services chat on Next.js",
    start_url: "/chat",
    scope: "/",
    display: "standalone",
    // globals.css: --accent and --bg of the light theme.
    theme_color: "#2459d6",
    background_color: "#fafafa",
    icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
  };
}

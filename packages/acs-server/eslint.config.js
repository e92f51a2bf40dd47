import { createEslintConfig, layerImports } from "@acs-stack/config/eslint";

export default [
  ...createEslintConfig(),
  // acs-server runs in any host: the app hands it the signed-in user, its session check and its logger.
  layerImports({
    files: ["src/**/*.ts"],
    groups: [
      "next",
      "next/*",
      "next-auth",
      "next-auth/*",
      "@auth/*",
      "react",
      "react-dom",
      "@acs-stack/acs-client*",
      "@acs-stack/web*",
    ],
    reason: "acs-server never imports Next.js, next-auth, React or the packages above it.",
  }),
];

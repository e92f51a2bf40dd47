export { default } from "@acs-stack/config/eslint";

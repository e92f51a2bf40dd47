// Well-known development defaults (like Azurite's devstoreaccount1 key): never secrets.
export const EMULATOR_DEFAULTS = {
  host: "127.0.0.1",
  port: 10443,
  accessKey:
    "jBc8DzyK5VPQAQYz+VGESWVKNCfkzzwRWfStlaZrPALBAtxVoTN3jAiLzZdzVTnShH7R0t9TBIHduj6Ihn0Qsw==",
  secondaryAccessKey:
    "E4T8uKMX/PMkohGd+XUQpJC63R80qWxq6TplPo+Ig2k/SjWs419NZk2Pp225a8HmsBhCHRPGhA5xnYzrD9osYg==",
  resourceId: "0e1a5c2d-7b3f-4e6a-9c8d-a5ce00000001",
  dataDir: ".data/acs-emulator",
} as const;

export const EMULATOR_VERSION = "0.1.0";

// Request bodies, api-version and path of the Chat API, validated into clear 400s (paging: ./paging.ts).
import { z } from "zod";
import { AcsHttpError, type EmulatorRequest } from "../http/types";

export const CHAT_API_VERSION = "2025-03-15";
/** ACS documents 28 KB as the maximum message content size. */
export const MAX_MESSAGE_CONTENT_BYTES = 28 * 1024;
export const MAX_PARTICIPANTS = 250;

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an RFC 3339 date-time");
const stringMap = z.record(z.string(), z.string());
const patchMap = z.record(z.string(), z.string().nullable());

export const identifierSchema = z.object({
  rawId: z.string().optional(),
  kind: z.string().optional(),
  communicationUser: z.object({ id: z.string().min(1) }).optional(),
  phoneNumber: z.unknown().optional(),
  microsoftTeamsUser: z.unknown().optional(),
  microsoftTeamsApp: z.unknown().optional(),
});
export type IdentifierInput = z.infer<typeof identifierSchema>;

const participantSchema = z.object({
  communicationIdentifier: identifierSchema,
  displayName: z.string().optional(),
  shareHistoryTime: isoDate.optional(),
  metadata: stringMap.optional(),
});
export type ParticipantInput = z.infer<typeof participantSchema>;

const retentionPolicySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({
    kind: z.literal("threadCreationDate"),
    deleteThreadAfterDays: z.number().int().min(1),
  }),
]);

export const createThreadSchema = z.object({
  topic: z.string().trim().min(1, "topic is required"),
  participants: z.array(participantSchema).optional(),
  metadata: stringMap.optional(),
  retentionPolicy: retentionPolicySchema.optional(),
});

export const updateThreadSchema = z.object({
  topic: z.string().trim().min(1, "topic must not be empty").optional(),
  metadata: patchMap.nullable().optional(),
  retentionPolicy: retentionPolicySchema.nullable().optional(),
});

export const sendMessageSchema = z.object({
  content: z.string(),
  senderDisplayName: z.string().optional(),
  type: z.enum(["text", "html"]).optional(),
  metadata: stringMap.optional(),
});

export const updateMessageSchema = z.object({
  content: z.string().optional(),
  metadata: patchMap.nullable().optional(),
});

export const addParticipantsSchema = z.object({ participants: z.array(participantSchema).min(1) });
export const typingSchema = z.object({ senderDisplayName: z.string().optional() });
export const readReceiptSchema = z.object({ chatMessageId: z.string().min(1) });

export function badRequest(message: string): AcsHttpError {
  return new AcsHttpError(400, "BadRequest", message);
}

export function parseBody<T>(request: EmulatorRequest, schema: z.ZodType<T>): T {
  let json: unknown = {};
  if (request.body.length > 0) {
    try {
      json = JSON.parse(request.body.toString("utf8"));
    } catch {
      throw badRequest("The request body is not valid JSON.");
    }
  }
  const result = schema.safeParse(json);
  if (!result.success)
    throw badRequest(`Invalid request body: ${z.prettifyError(result.error).replace(/\n/g, " ")}`);
  return result.data;
}

/** The rawId of a communication user identifier, or undefined for any other kind of identifier. */
export function communicationUserId(identifier: IdentifierInput): string | undefined {
  const id = identifier.communicationUser?.id ?? identifier.rawId;
  if (identifier.phoneNumber ?? identifier.microsoftTeamsUser ?? identifier.microsoftTeamsApp)
    return undefined;
  return id?.startsWith("8:acs:") ? id : undefined;
}

export function checkApiVersion(request: EmulatorRequest): void {
  const version = request.url.searchParams.get("api-version");
  if (version !== CHAT_API_VERSION) {
    throw badRequest(
      version === null
        ? `The api-version query parameter is required; this emulator serves Chat api-version ${CHAT_API_VERSION}.`
        : `Unsupported api-version '${version}'; this emulator serves Chat api-version ${CHAT_API_VERSION}.`,
    );
  }
}

/**
 * The request path with repeated slashes collapsed, from the raw target: `new URL("//chat/…", base)`
 * would read `chat` as a host (the signaling client concatenates an endpoint ending in "/" with "/chat/…").
 */
export function requestPath(request: EmulatorRequest): string {
  const target = request.rawTarget.split("?")[0] ?? "/";
  const path = /^[a-z]+:\/\//i.test(target) ? new URL(target).pathname : target;
  return path.replace(/\/{2,}/g, "/");
}

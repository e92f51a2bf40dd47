import "server-only";
// The configuration the start page's form posts need (app/auth/*/route.ts): this app's origins
// for the cross-site check, AUTH_SECRET and https for the flash cookie.
import { authSecret, env } from "~/env";
import { appOrigins, servedOverHttps } from "./app-origins";
import { formFlashSetCookie, type FormFlash } from "./form-flash";
import { readSameOriginForm, seeOther } from "./form-post";

/** The posted form of a same-origin form post, or the refusal (form-post.ts). */
export const readStartPageForm = (request: Request): Promise<FormData | Response> =>
  readSameOriginForm(request, appOrigins(request, env));

/** 303 back to the start page (`location`), with what the form says (form-flash.ts). */
export const backToStartPage = (request: Request, location: string, flash: FormFlash): Response =>
  seeOther(location, [
    formFlashSetCookie(flash, { secret: authSecret(), secure: servedOverHttps(request, env) }),
  ]);

CREATE TABLE "entra_tokens" (
	"user_id" text PRIMARY KEY NOT NULL,
	"object_id" text NOT NULL,
	"tenant_id" text,
	"sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entra_tokens" ADD CONSTRAINT "entra_tokens_user_id_app_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Before this table, apps/web created its own `web_entra_tokens` (same columns) at run time. Its rows
-- move here, so people signed in with Entra ID keep their Teams tokens, and the old table goes.
DO $$
BEGIN
	IF to_regclass('public.web_entra_tokens') IS NOT NULL THEN
		INSERT INTO "entra_tokens" ("user_id", "object_id", "tenant_id", "sealed", "expires_at", "updated_at")
			SELECT "user_id", "object_id", "tenant_id", "sealed", "expires_at", "updated_at" FROM "public"."web_entra_tokens"
			ON CONFLICT ("user_id") DO NOTHING;
		DROP TABLE "public"."web_entra_tokens";
	END IF;
END $$;

CREATE TABLE "presence" (
	"user_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"text" text,
	"last_seen" timestamp with time zone NOT NULL,
	"timed_out_at" timestamp with time zone,
	"revision" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "presence_visibility" (
	"viewer_id" text NOT NULL,
	"subject_id" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presence_visibility_viewer_id_subject_id_pk" PRIMARY KEY("viewer_id","subject_id")
);
--> statement-breakpoint
ALTER TABLE "presence" ADD CONSTRAINT "presence_user_id_app_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presence_visibility" ADD CONSTRAINT "presence_visibility_viewer_id_app_users_id_fk" FOREIGN KEY ("viewer_id") REFERENCES "public"."app_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presence_visibility" ADD CONSTRAINT "presence_visibility_subject_id_app_users_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."app_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "presence_sweep_idx" ON "presence" USING btree ("last_seen") WHERE timed_out_at is null and state <> 'offline';
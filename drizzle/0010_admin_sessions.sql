CREATE TABLE "admin_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"office_id" uuid,
	"person_id" uuid,
	"token_id" uuid,
	"token_tag" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "admin_sessions_kind_ck" CHECK (("admin_sessions"."kind" = 'deployment' AND "admin_sessions"."token_tag" IS NOT NULL)
          OR ("admin_sessions"."kind" = 'office' AND "admin_sessions"."office_id" IS NOT NULL AND "admin_sessions"."token_id" IS NOT NULL)
          OR ("admin_sessions"."kind" = 'person' AND "admin_sessions"."office_id" IS NOT NULL AND "admin_sessions"."person_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "admin_signin_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_token_id_admin_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."admin_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_signin_links" ADD CONSTRAINT "admin_signin_links_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_signin_links" ADD CONSTRAINT "admin_signin_links_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_sessions_expires_idx" ON "admin_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "admin_sessions_person_idx" ON "admin_sessions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "admin_sessions_token_idx" ON "admin_sessions" USING btree ("token_id");--> statement-breakpoint
CREATE INDEX "admin_signin_links_person_idx" ON "admin_signin_links" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "admin_signin_links_expires_idx" ON "admin_signin_links" USING btree ("expires_at");--> statement-breakpoint
-- Rows of the old one-row-per-failure log that share a client and an instant would block the unique index.
DELETE FROM "audit_log" a USING "audit_log" b
 WHERE a.action = 'admin.signin_failed' AND b.action = 'admin.signin_failed'
   AND a.target_id = b.target_id AND a.at = b.at AND a.id > b.id;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_signin_failed_uq" ON "audit_log" USING btree ("target_id","at") WHERE "audit_log"."action" = 'admin.signin_failed';
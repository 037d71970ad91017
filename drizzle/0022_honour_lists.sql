CREATE TABLE "honour_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"term" smallint NOT NULL,
	"title_th" text NOT NULL,
	"message_th" text NOT NULL,
	"criteria" text[] NOT NULL,
	"audience" text NOT NULL,
	"schools" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"recipients" integer NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "honour_lists" ADD CONSTRAINT "honour_lists_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "honour_lists_office_key_uq" ON "honour_lists" USING btree ("office_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "honour_lists_office_year_idx" ON "honour_lists" USING btree ("office_id","academic_year","term");
CREATE TABLE "calendar_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title_th" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"academic_year" smallint,
	"term" smallint,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_events_dates_ck" CHECK ("calendar_events"."ends_on" >= "calendar_events"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "push_usage" (
	"office_id" uuid NOT NULL,
	"month" text NOT NULL,
	"pushes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "push_usage_office_id_month_pk" PRIMARY KEY("office_id","month")
);
--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "quiet_start" smallint DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "quiet_end" smallint DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "push_quota" integer;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "sends_paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "sends_paused_reason" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "local_day" date;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "message_hash" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "calendar_events" ADD CONSTRAINT "calendar_events_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_usage" ADD CONSTRAINT "push_usage_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_events_office_dates_idx" ON "calendar_events" USING btree ("office_id","starts_on","ends_on");--> statement-breakpoint
CREATE INDEX "outbox_batch_idx" ON "outbox" USING btree ("batch_id") WHERE "outbox"."batch_id" IS NOT NULL;
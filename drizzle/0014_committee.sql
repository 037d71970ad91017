CREATE TABLE "committee_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"title_th" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place_th" text NOT NULL,
	"agenda" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minutes_th" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"campaign_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_members" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL,
	"committee_role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_plan_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"academic_year" smallint NOT NULL,
	"area" text NOT NULL,
	"title_th" text NOT NULL,
	"tools" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_plan_items_dates_ck" CHECK ("committee_plan_items"."ends_on" >= "committee_plan_items"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "office_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_id" uuid NOT NULL,
	"title_th" text NOT NULL,
	"owner_id" uuid,
	"due_on" date NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"done_at" timestamp with time zone,
	"note_th" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "committee_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_meetings" ADD CONSTRAINT "committee_meetings_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meetings" ADD CONSTRAINT "committee_meetings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_plan_items" ADD CONSTRAINT "committee_plan_items_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_tasks" ADD CONSTRAINT "office_tasks_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_tasks" ADD CONSTRAINT "office_tasks_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "committee_meetings_office_starts_idx" ON "committee_meetings" USING btree ("office_id","starts_at");--> statement-breakpoint
CREATE INDEX "committee_members_office_idx" ON "committee_members" USING btree ("office_id");--> statement-breakpoint
CREATE INDEX "committee_plan_items_office_year_idx" ON "committee_plan_items" USING btree ("office_id","academic_year");--> statement-breakpoint
CREATE INDEX "office_tasks_source_idx" ON "office_tasks" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "office_tasks_open_idx" ON "office_tasks" USING btree ("office_id","due_on") WHERE "office_tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "office_tasks_owner_idx" ON "office_tasks" USING btree ("owner_id");--> statement-breakpoint
-- Committee membership moves a person in or out of committee-only campaigns (a meeting's attendance): the pending
-- set follows, as for a change of role (migration 0009's triggers).
CREATE OR REPLACE FUNCTION nithet_pending_committee() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END;
BEGIN
  DELETE FROM pending_assignments WHERE person_id = pid;
  PERFORM nithet_pending_audience(NULL, ARRAY[pid]);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_committee_ins AFTER INSERT OR DELETE ON committee_members FOR EACH ROW
  EXECUTE FUNCTION nithet_pending_committee();--> statement-breakpoint
DROP TRIGGER IF EXISTS pending_campaign_upd ON campaigns;--> statement-breakpoint
CREATE TRIGGER pending_campaign_upd AFTER UPDATE ON campaigns FOR EACH ROW
  WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.school_ids IS DISTINCT FROM NEW.school_ids
        OR OLD.cluster_ids IS DISTINCT FROM NEW.cluster_ids OR OLD.checklist_id IS DISTINCT FROM NEW.checklist_id
        OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
        OR OLD.school_levels IS DISTINCT FROM NEW.school_levels OR OLD.school_sizes IS DISTINCT FROM NEW.school_sizes
        OR OLD.school_tags IS DISTINCT FROM NEW.school_tags OR OLD.subdistricts IS DISTINCT FROM NEW.subdistricts
        OR OLD.districts IS DISTINCT FROM NEW.districts OR OLD.provinces IS DISTINCT FROM NEW.provinces
        OR OLD.learning_areas IS DISTINCT FROM NEW.learning_areas OR OLD.positions IS DISTINCT FROM NEW.positions
        OR OLD.committee_only IS DISTINCT FROM NEW.committee_only)
  EXECUTE FUNCTION nithet_pending_campaign();

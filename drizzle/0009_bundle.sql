CREATE TABLE "outbox_bodies" (
	"hash" uuid PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_items" (
	"person_id" uuid NOT NULL,
	"key" text NOT NULL,
	"office_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"urgent_by" timestamp with time zone,
	"bundled_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_items_person_id_key_pk" PRIMARY KEY("person_id","key")
);
--> statement-breakpoint
CREATE TABLE "pending_assignments" (
	"campaign_id" uuid NOT NULL,
	"subject_key" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"school_id" uuid,
	"person_id" uuid,
	"role" text,
	"started" boolean DEFAULT false NOT NULL,
	CONSTRAINT "pending_assignments_campaign_id_subject_key_pk" PRIMARY KEY("campaign_id","subject_key")
);
--> statement-breakpoint
CREATE TABLE "plan_marks" (
	"office_id" uuid NOT NULL,
	"day" date NOT NULL,
	"slot" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "plan_marks_office_id_day_slot_pk" PRIMARY KEY("office_id","day","slot")
);
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_dedupe_key_unique";--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_office_id_offices_id_fk";
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_channel_id_line_channels_id_fk";
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_person_id_people_id_fk";
--> statement-breakpoint
DROP INDEX "outbox_due_idx";--> statement-breakpoint
DROP INDEX "outbox_office_status_idx";--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "dedupe_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "announce" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "body" uuid;--> statement-breakpoint
-- Rows planned before this migration keep their rendered messages as a literal body.
INSERT INTO "outbox_bodies" ("hash", "body")
SELECT DISTINCT md5(jsonb_build_object('messages', "messages")::text)::uuid, jsonb_build_object('messages', "messages")
  FROM "outbox" ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "outbox" SET "body" = md5(jsonb_build_object('messages', "messages")::text)::uuid;--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "body" SET NOT NULL;--> statement-breakpoint
-- Before the one-push rule a person could have a reminder and a digest on one day: only reminders keep their day.
UPDATE "outbox" SET "local_day" = NULL WHERE "kind" <> 'reminder';--> statement-breakpoint
CREATE INDEX "outbox_items_waiting_idx" ON "outbox_items" USING btree ("office_id","due_at") WHERE "outbox_items"."bundled_on" IS NULL;--> statement-breakpoint
CREATE INDEX "pending_assignments_person_idx" ON "pending_assignments" USING btree ("person_id") WHERE "pending_assignments"."person_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_office_due_idx" ON "outbox" USING btree ("office_id","not_before") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_person_day_uq" ON "outbox" USING btree ("office_id","person_id","local_day");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key") WHERE "outbox"."dedupe_key" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" DROP COLUMN "messages";--> statement-breakpoint
ALTER TABLE "outbox" DROP COLUMN "message_hash";--> statement-breakpoint
-- The pending-assignment set (pending_assignments): who still has to answer which campaign. The audience rule is
-- src/checklists/audience.queries.ts's; src/checklists/pending.queries.ts re-creates this function from it after every migration.
CREATE OR REPLACE FUNCTION nithet_pending_audience(campaign_ids uuid[], person_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO pending_assignments (campaign_id, subject_key, office_id, school_id, person_id, role, started)
  SELECT c.id, CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END, c.office_id, p.school_id,
         CASE WHEN ck.scope = 'school' THEN NULL ELSE p.id END, CASE WHEN ck.scope = 'school' THEN NULL ELSE p.role END,
         EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = c.id
                    AND r.subject_key = CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END)
    FROM campaigns c
    JOIN checklists ck ON ck.id = c.checklist_id
    JOIN people p ON p.office_id = c.office_id AND p.status <> 'erased' AND p.role = ANY(c.roles)
    LEFT JOIN schools s ON s.id = p.school_id
   WHERE (campaign_ids IS NULL OR c.id = ANY(campaign_ids)) AND (person_ids IS NULL OR p.id = ANY(person_ids))
     AND (cardinality(c.school_ids) = 0 OR p.school_id = ANY(c.school_ids))
     AND (cardinality(c.cluster_ids) = 0 OR s.cluster_id = ANY(c.cluster_ids))
     AND (ck.scope = 'person' OR p.school_id IS NOT NULL)
     AND NOT EXISTS (SELECT 1 FROM responses r
                      WHERE r.campaign_id = c.id AND r.status = 'submitted'
                        AND r.subject_key = CASE WHEN ck.scope = 'school' THEN p.school_id ELSE p.id END)
  ON CONFLICT DO NOTHING
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM pending_assignments WHERE campaign_id = OLD.id;
    RETURN NULL;
  END IF;
  DELETE FROM pending_assignments WHERE campaign_id = NEW.id;
  PERFORM nithet_pending_audience(ARRAY[NEW.id], NULL);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_campaign_ins AFTER INSERT ON campaigns FOR EACH ROW EXECUTE FUNCTION nithet_pending_campaign();--> statement-breakpoint
CREATE TRIGGER pending_campaign_upd AFTER UPDATE ON campaigns FOR EACH ROW
  WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.school_ids IS DISTINCT FROM NEW.school_ids
        OR OLD.cluster_ids IS DISTINCT FROM NEW.cluster_ids OR OLD.checklist_id IS DISTINCT FROM NEW.checklist_id
        OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)
  EXECUTE FUNCTION nithet_pending_campaign();--> statement-breakpoint
CREATE TRIGGER pending_campaign_del AFTER DELETE ON campaigns FOR EACH ROW EXECUTE FUNCTION nithet_pending_campaign();--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_people_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nithet_pending_audience(NULL, ARRAY(SELECT id FROM new_people));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_people_ins AFTER INSERT ON people REFERENCING NEW TABLE AS new_people
  FOR EACH STATEMENT EXECUTE FUNCTION nithet_pending_people_new();--> statement-breakpoint
-- A person's change can also take their school in or out of a school-scope campaign (its last principal left):
-- the rows of the schools they left and joined are recomputed with them.
CREATE OR REPLACE FUNCTION nithet_pending_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pending_assignments
   WHERE person_id = NEW.id OR (person_id IS NULL AND school_id IN (OLD.school_id, NEW.school_id));
  PERFORM nithet_pending_audience(NULL, ARRAY(SELECT id FROM people
                                               WHERE id = NEW.id OR school_id IN (OLD.school_id, NEW.school_id)));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_people_upd AFTER UPDATE ON people FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.school_id IS DISTINCT FROM NEW.school_id
        OR OLD.office_id IS DISTINCT FROM NEW.office_id
        OR (OLD.status = 'erased') IS DISTINCT FROM (NEW.status = 'erased'))
  EXECUTE FUNCTION nithet_pending_person();--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pending_assignments pa
   WHERE pa.school_id = NEW.id OR pa.person_id IN (SELECT id FROM people WHERE school_id = NEW.id);
  PERFORM nithet_pending_audience(NULL, ARRAY(SELECT id FROM people WHERE school_id = NEW.id));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_school_upd AFTER UPDATE ON schools FOR EACH ROW
  WHEN (OLD.cluster_id IS DISTINCT FROM NEW.cluster_id) EXECUTE FUNCTION nithet_pending_school();--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'submitted' THEN
    DELETE FROM pending_assignments WHERE campaign_id = NEW.campaign_id AND subject_key = NEW.subject_key;
  ELSE
    UPDATE pending_assignments SET started = true
     WHERE campaign_id = NEW.campaign_id AND subject_key = NEW.subject_key AND NOT started;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER pending_response_ins AFTER INSERT ON responses FOR EACH ROW
  EXECUTE FUNCTION nithet_pending_submitted();--> statement-breakpoint
CREATE TRIGGER pending_response_upd AFTER UPDATE OF status ON responses FOR EACH ROW
  WHEN (NEW.status = 'submitted' AND OLD.status IS DISTINCT FROM 'submitted')
  EXECUTE FUNCTION nithet_pending_submitted();--> statement-breakpoint
SELECT nithet_pending_audience(NULL, NULL);
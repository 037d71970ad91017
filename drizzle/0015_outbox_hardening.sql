ALTER TABLE "outbox_items" ADD COLUMN "failed" text;--> statement-breakpoint
CREATE INDEX "outbox_items_bundled_idx" ON "outbox_items" USING btree ("office_id","bundled_on") WHERE "outbox_items"."bundled_on" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "pending_assignments_school_idx" ON "pending_assignments" USING btree ("school_id") WHERE "pending_assignments"."school_id" IS NOT NULL;
--> statement-breakpoint
-- The person and school triggers delete and recompute with one index-friendly statement per condition (an OR
-- across person_id and school_id, or across people's id and school_id, could only be read by a full scan).
CREATE OR REPLACE FUNCTION nithet_pending_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pending_assignments WHERE person_id = NEW.id;
  DELETE FROM pending_assignments WHERE person_id IS NULL AND school_id IN (OLD.school_id, NEW.school_id);
  PERFORM nithet_pending_audience(NULL, ARRAY(SELECT NEW.id
                                               UNION SELECT id FROM people WHERE school_id IN (OLD.school_id, NEW.school_id)));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pending_assignments WHERE school_id = NEW.id;
  DELETE FROM pending_assignments WHERE person_id IN (SELECT id FROM people WHERE school_id = NEW.id);
  PERFORM nithet_pending_audience(NULL, ARRAY(SELECT id FROM people WHERE school_id = NEW.id));
  RETURN NULL;
END $$;--> statement-breakpoint
-- Planning an office and a submission in it take turns: the planner holds this key exclusively for its
-- transaction (src/reminders/plan.ts), a submission shares it until it commits, so a planner never reads a
-- pending set that a submission in flight is about to change.
CREATE OR REPLACE FUNCTION nithet_plan_lock_key(office uuid) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT hashtextextended('nithet-plan:' || office::text, 0)
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION nithet_pending_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'submitted' THEN
    PERFORM pg_advisory_xact_lock_shared(nithet_plan_lock_key(c.office_id)) FROM campaigns c WHERE c.id = NEW.campaign_id;
    DELETE FROM pending_assignments WHERE campaign_id = NEW.campaign_id AND subject_key = NEW.subject_key;
  ELSE
    UPDATE pending_assignments SET started = true
     WHERE campaign_id = NEW.campaign_id AND subject_key = NEW.subject_key AND NOT started;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- PDPA erasure reaches the outbox: the person's queued items go, their unsent rows die ('erased'), and their name
-- is blanked in what their office's items and bundle bodies say about them (a principal's list of who has not
-- answered, a supervisor's submission notice, a visit's supervisor).
CREATE OR REPLACE FUNCTION nithet_erase_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_name text := substr(to_jsonb(OLD.display_name)::text, 2, length(to_jsonb(OLD.display_name)::text) - 2);
  new_name text := substr(to_jsonb(NEW.display_name)::text, 2, length(to_jsonb(NEW.display_name)::text) - 2);
BEGIN
  DELETE FROM outbox_items WHERE person_id = NEW.id;
  UPDATE outbox SET status = 'dead', last_error = 'erased'
   WHERE office_id = NEW.office_id AND person_id = NEW.id AND status = 'pending';
  IF length(old_name) >= 2 THEN
    UPDATE outbox_items SET data = replace(data::text, old_name, new_name)::jsonb
     WHERE office_id = NEW.office_id AND strpos(data::text, old_name) > 0;
    UPDATE outbox_bodies SET body = replace(body::text, old_name, new_name)::jsonb
     WHERE hash IN (SELECT body FROM outbox WHERE office_id = NEW.office_id
                    UNION SELECT (data->>'b')::uuid FROM outbox_items WHERE office_id = NEW.office_id AND data ? 'b')
       AND strpos(body::text, old_name) > 0;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER outbox_people_erased AFTER UPDATE OF status ON people FOR EACH ROW
  WHEN (NEW.status = 'erased' AND OLD.status IS DISTINCT FROM 'erased')
  EXECUTE FUNCTION nithet_erase_outbox();

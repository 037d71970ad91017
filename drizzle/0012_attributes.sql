ALTER TABLE "campaigns" ADD COLUMN "school_levels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "school_sizes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "school_tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "subdistricts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "districts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "provinces" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "learning_areas" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "positions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "learning_areas" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "position" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "levels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "size" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "subdistrict" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "district" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "province" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "people_learning_areas_idx" ON "people" USING gin ("learning_areas");--> statement-breakpoint
CREATE INDEX "schools_levels_idx" ON "schools" USING gin ("levels");--> statement-breakpoint
CREATE INDEX "schools_tags_idx" ON "schools" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "schools_office_place_idx" ON "schools" USING btree ("office_id","province","district");--> statement-breakpoint
-- The pending set follows the new audience filters: the triggers of migration 0009 fire on the attribute columns
-- too (nithet_pending_audience itself is regenerated from audience() after every migration run).
DROP TRIGGER IF EXISTS pending_campaign_upd ON campaigns;--> statement-breakpoint
CREATE TRIGGER pending_campaign_upd AFTER UPDATE ON campaigns FOR EACH ROW
  WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.school_ids IS DISTINCT FROM NEW.school_ids
        OR OLD.cluster_ids IS DISTINCT FROM NEW.cluster_ids OR OLD.checklist_id IS DISTINCT FROM NEW.checklist_id
        OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
        OR OLD.school_levels IS DISTINCT FROM NEW.school_levels OR OLD.school_sizes IS DISTINCT FROM NEW.school_sizes
        OR OLD.school_tags IS DISTINCT FROM NEW.school_tags OR OLD.subdistricts IS DISTINCT FROM NEW.subdistricts
        OR OLD.districts IS DISTINCT FROM NEW.districts OR OLD.provinces IS DISTINCT FROM NEW.provinces
        OR OLD.learning_areas IS DISTINCT FROM NEW.learning_areas OR OLD.positions IS DISTINCT FROM NEW.positions)
  EXECUTE FUNCTION nithet_pending_campaign();--> statement-breakpoint
DROP TRIGGER IF EXISTS pending_people_upd ON people;--> statement-breakpoint
CREATE TRIGGER pending_people_upd AFTER UPDATE ON people FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.school_id IS DISTINCT FROM NEW.school_id
        OR OLD.office_id IS DISTINCT FROM NEW.office_id
        OR (OLD.status = 'erased') IS DISTINCT FROM (NEW.status = 'erased')
        OR OLD.learning_areas IS DISTINCT FROM NEW.learning_areas OR OLD.position IS DISTINCT FROM NEW.position)
  EXECUTE FUNCTION nithet_pending_person();--> statement-breakpoint
DROP TRIGGER IF EXISTS pending_school_upd ON schools;--> statement-breakpoint
CREATE TRIGGER pending_school_upd AFTER UPDATE ON schools FOR EACH ROW
  WHEN (OLD.cluster_id IS DISTINCT FROM NEW.cluster_id OR OLD.levels IS DISTINCT FROM NEW.levels
        OR OLD.size IS DISTINCT FROM NEW.size OR OLD.tags IS DISTINCT FROM NEW.tags
        OR OLD.subdistrict IS DISTINCT FROM NEW.subdistrict OR OLD.district IS DISTINCT FROM NEW.district
        OR OLD.province IS DISTINCT FROM NEW.province)
  EXECUTE FUNCTION nithet_pending_school();

-- The pending-assignment set leaves out schools imported after a campaign's due time (src/checklists/pending.queries.ts,
-- as countedSubject() does for counts), so a moved due time re-runs the campaign's set like any other audience change.
DROP TRIGGER IF EXISTS pending_campaign_upd ON campaigns;--> statement-breakpoint
CREATE TRIGGER pending_campaign_upd AFTER UPDATE ON campaigns FOR EACH ROW
  WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.school_ids IS DISTINCT FROM NEW.school_ids
        OR OLD.cluster_ids IS DISTINCT FROM NEW.cluster_ids OR OLD.checklist_id IS DISTINCT FROM NEW.checklist_id
        OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.due_at IS DISTINCT FROM NEW.due_at
        OR OLD.school_levels IS DISTINCT FROM NEW.school_levels OR OLD.school_sizes IS DISTINCT FROM NEW.school_sizes
        OR OLD.school_tags IS DISTINCT FROM NEW.school_tags OR OLD.subdistricts IS DISTINCT FROM NEW.subdistricts
        OR OLD.districts IS DISTINCT FROM NEW.districts OR OLD.provinces IS DISTINCT FROM NEW.provinces
        OR OLD.learning_areas IS DISTINCT FROM NEW.learning_areas OR OLD.positions IS DISTINCT FROM NEW.positions
        OR OLD.committee_only IS DISTINCT FROM NEW.committee_only)
  EXECUTE FUNCTION nithet_pending_campaign();

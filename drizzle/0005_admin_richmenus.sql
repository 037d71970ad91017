CREATE TABLE "rich_menus" (
	"channel_id" text NOT NULL,
	"role" text NOT NULL,
	"rich_menu_id" text NOT NULL,
	"alias_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rich_menus_channel_id_role_pk" PRIMARY KEY("channel_id","role")
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "rich_menu_role" text;--> statement-breakpoint
ALTER TABLE "rich_menus" ADD CONSTRAINT "rich_menus_channel_id_line_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."line_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "people_rich_menu_pending_idx" ON "people" USING btree ("channel_id") WHERE "people"."line_user_id" IS NOT NULL AND "people"."rich_menu_role" IS DISTINCT FROM "people"."role";--> statement-breakpoint
-- Duplicate assignments (possible before the natural key existed) are folded into the oldest row first.
DELETE FROM "supervisor_assignments" "a" USING "supervisor_assignments" "b" WHERE "a"."supervisor_id" = "b"."supervisor_id" AND "a"."school_id" IS NOT DISTINCT FROM "b"."school_id" AND "a"."cluster_id" IS NOT DISTINCT FROM "b"."cluster_id" AND ("a"."created_at", "a"."id") > ("b"."created_at", "b"."id");--> statement-breakpoint
ALTER TABLE "supervisor_assignments" ADD CONSTRAINT "supervisor_assignments_target_uq" UNIQUE NULLS NOT DISTINCT("supervisor_id","school_id","cluster_id");
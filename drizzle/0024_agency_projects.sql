CREATE TABLE "agency_projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"title_th" text NOT NULL,
	"agency_th" text NOT NULL,
	"scope" text NOT NULL,
	"stage" text DEFAULT 'study' NOT NULL,
	"stages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agency_projects" ADD CONSTRAINT "agency_projects_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_projects_office_idx" ON "agency_projects" USING btree ("office_id","created_at","id");
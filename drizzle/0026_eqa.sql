CREATE TABLE "eqa_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"assessed_on" date NOT NULL,
	"standard" smallint NOT NULL,
	"level" smallint NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eqa_schools" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL,
	"iqa_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"scheduled_on" date,
	"note_th" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "eqa_results" ADD CONSTRAINT "eqa_results_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_results" ADD CONSTRAINT "eqa_results_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_schools" ADD CONSTRAINT "eqa_schools_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_schools" ADD CONSTRAINT "eqa_schools_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "eqa_results_school_uq" ON "eqa_results" USING btree ("school_id","assessed_on","standard");--> statement-breakpoint
CREATE INDEX "eqa_results_office_idx" ON "eqa_results" USING btree ("office_id","assessed_on");--> statement-breakpoint
CREATE INDEX "eqa_schools_office_idx" ON "eqa_schools" USING btree ("office_id","scheduled_on");
CREATE TABLE "import_uploads" (
	"office_id" uuid NOT NULL,
	"sha" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "import_uploads_office_id_sha_pk" PRIMARY KEY("office_id","sha")
);
--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;
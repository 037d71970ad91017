CREATE TABLE "dev_clock" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"simulated_at" timestamp with time zone NOT NULL,
	"real_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dev_clock_one_row_ck" CHECK ("dev_clock"."id" = 1)
);

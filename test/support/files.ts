// The smallest files the evidence checks accept by their first bytes (a JPEG's SOI/APP0/EOI, a PDF's header and
// trailer), for the tests that send photos and documents through the webhook.

/** A JPEG by its magic bytes (LINE's content for a photo message). */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

/** A PDF by its header and trailer (LINE's content for a file message). */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

// The one internal campaign per office: visit records (responses whose subject is a visit) belong to it. It is
// marked `campaigns.system`, so no list, export, edit or count of the office's campaigns shows it; its title is
// reserved so an office campaign can never take its place.

export const VISIT_RECORD_CAMPAIGN = 'บันทึกการนิเทศ (ระบบ)';

export const reservedTitleMessage = `ชื่อ "${VISIT_RECORD_CAMPAIGN}" สงวนไว้สำหรับระบบ กรุณาใช้ชื่ออื่น / this title is reserved`;

/** A visit record runs the checklist flow with campaign `visit:<visitId>` (src/visits/record.ts). */
const VISIT_RECORD_PREFIX = 'visit:';
export const visitRecordCampaign = (visitId: string) => `${VISIT_RECORD_PREFIX}${visitId}`;
export const isVisitRecordCampaign = (campaignId: string) => campaignId.startsWith(VISIT_RECORD_PREFIX);
export const visitIdOfCampaign = (campaignId: string): string | null =>
  isVisitRecordCampaign(campaignId) ? campaignId.slice(VISIT_RECORD_PREFIX.length) : null;

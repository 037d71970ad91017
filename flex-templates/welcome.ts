// The card a person sees when their LINE account is linked: who they are in the office, and what the bot will do.
import type { messagingApi } from '@line/bot-sdk';

export interface WelcomeCard {
  name: string;
  roleLabel: string;
  schoolName: string | null;
  officeName: string;
  roleText: string;
}

const row = (label: string, value: string): messagingApi.FlexBox => ({
  type: 'box',
  layout: 'baseline',
  spacing: 'sm',
  contents: [
    { type: 'text', text: label, size: 'sm', color: '#888888', flex: 2 },
    { type: 'text', text: value, size: 'sm', color: '#333333', flex: 5, wrap: true },
  ],
});

export function welcomeBubble(card: WelcomeCard): messagingApi.FlexBubble {
  return {
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: '#0B6E4F',
      contents: [
        { type: 'text', text: 'ยินดีต้อนรับสู่ นิเทศ', color: '#FFFFFF', weight: 'bold', size: 'lg' },
        { type: 'text', text: 'Welcome to nithet', color: '#D7F2E6', size: 'xs' },
      ],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'md',
      contents: [
        { type: 'text', text: card.name, weight: 'bold', size: 'xl', wrap: true },
        row('บทบาท', card.roleLabel),
        ...(card.schoolName === null ? [] : [row('โรงเรียน', card.schoolName)]),
        row('สำนักงาน', card.officeName),
        { type: 'separator', margin: 'md' },
        { type: 'text', text: card.roleText, size: 'sm', wrap: true, margin: 'md', color: '#555555' },
      ],
    },
  };
}

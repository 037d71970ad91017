// Onboarding's effect, registered with the engine (see src/conversation/effects.ts).
export interface LinkPerson {
  type: 'linkPerson';
  inviteId: string;
  personId: string;
}

declare module '../conversation/effects.js' {
  interface FlowEffects {
    onboarding: LinkPerson;
  }
}

// Who is acting on the admin API and pages: the deployment's operator, an office token, or a signed-in person.
// Its own module so the request context (deps.ts), sign-in (auth.ts) and scopes (scope.ts) share it without
// importing each other.

export type AdminPrincipal =
  | { kind: 'deployment'; via: 'token' | 'session' }
  | { kind: 'office'; officeId: string; tokenId: string; via: 'token' | 'session' }
  | {
      kind: 'person';
      officeId: string;
      personId: string;
      /** `committee`: a member of the ก.ต.ป.น. from outside the office (role committee), who sees the committee only. */
      role: 'admin' | 'director' | 'supervisor' | 'committee';
      via: 'session';
    };

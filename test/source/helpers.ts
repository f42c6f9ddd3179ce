import type { Diagnostic } from '../../src/shared/diagnostics.js';
import { parseTenant } from '../../src/source/parse-tenant.js';

export const ADA = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';
export const GROUP = '33333333-3333-4333-8333-333333333333';
export const ROLE_USER = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const ROLE_ADMIN = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

export const lines = (...l: string[]): string => l.join('\n') + '\n';

export const VALID_USERS = lines(
  `- id: ${ADA}`,
  '  userPrincipalName: ada@contoso.com',
  '  displayName: Ada Lovelace',
  `- id: ${BOB}`,
  '  userPrincipalName: bob@contoso.com',
  '  displayName: Bob',
);

export const VALID_ASSIGNMENTS = lines(
  'app:',
  '  name: App',
  '  appRoles:',
  `    - {id: ${ROLE_USER}, value: User, displayName: Regular user}`,
  `    - {id: ${ROLE_ADMIN}, value: Admin, displayName: Administrator}`,
  'assignments:',
  '  - {principal: ada@contoso.com}',
);

/** Parses a tenant from inline texts; users and assignments default to small valid files, groups to none. */
export function tenantOf(files: { users?: string | null; groups?: string; assignments?: string | null; ext?: string }) {
  const ext = files.ext ?? 'yaml';
  const file = (name: string, text: string | null | undefined, fallback?: string) => {
    const t = text === undefined ? fallback : text;
    return t === null || t === undefined ? undefined : { file: `t/${name}.${ext}`, text: t };
  };
  return parseTenant({
    dir: 't',
    users: file('users', files.users, VALID_USERS),
    groups: file('groups', files.groups),
    assignments: file('assignments', files.assignments, VALID_ASSIGNMENTS),
  });
}

/** `file:line:col` of each diagnostic with this code (so a test also fails when the code is reported twice). */
export function where(diagnostics: readonly Diagnostic[], code: string): string[] {
  return diagnostics.filter((d) => d.code === code).map((d) => `${d.file}:${d.position?.line}:${d.position?.column}`);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

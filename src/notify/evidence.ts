/**
 * What Microsoft documents about the provisioning failure e-mail, and what provsim chose where it is silent.
 * Sources were read on 2026-12-06 from MicrosoftDocs/entra-docs (the text behind learn.microsoft.com/entra);
 * each names its page, its source file and the page's ms.date.
 *
 * Documented:
 * - a one-time mail when the job is placed in quarantine, and an updated mail when the quarantine reason
 *   changes (quarantine status page);
 * - the accidental-deletion threshold puts the job in quarantine and sends a mail (accidental deletions page);
 * - the escrow thresholds put the job in quarantine (quarantine status page), hence the same mail;
 * - the mail goes to the job's *Notification Email*, set with "Send an email notification when a failure
 *   occurs" (the Zapier tutorial and every gallery tutorial; the provisioning settings page);
 * - the sender is azure-noreply@microsoft.com (quarantine status page; operations guide), display name
 *   "Microsoft Azure" (Azure AD what's new, July 2018: "Enterprise App Provisioning Service Notifications").
 *
 * UNCONFIRMED (the docs are silent):
 * - the subject and the wording of the body: provsim writes its own, with the facts a person needs;
 * - no mail when a quarantined job recovers, when a cycle has only object-level failures (escrows under the
 *   thresholds), or for provision on demand and dry runs;
 * - no mail when Entra disables a job after four weeks in quarantine (provsim does not simulate the disable).
 */
import type { EvidenceNote } from './notification.js';

const READ = 'read 2026-12-06';

const QUARANTINE_PAGE =
  'https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status ' +
  `(MicrosoftDocs/entra-docs docs/identity/app-provisioning/application-provisioning-quarantine-status.md, ms.date 03/04/2025, ${READ})`;
const DELETIONS_PAGE =
  'https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions ' +
  `(MicrosoftDocs/entra-docs docs/identity/app-provisioning/accidental-deletions.md, ms.date 03/04/2025, ${READ})`;
const HOW_IT_WORKS_PAGE =
  'https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works#quarantine ' +
  `(MicrosoftDocs/entra-docs docs/identity/app-provisioning/how-provisioning-works.md, ms.date 03/04/2025, ${READ})`;
const ZAPIER_PAGE =
  'https://learn.microsoft.com/entra/identity/saas-apps/zapier-provisioning-tutorial ' +
  `(MicrosoftDocs/entra-docs docs/identity/saas-apps/zapier-provisioning-tutorial.md, ms.date 05/20/2025, ${READ}); ` +
  'https://learn.microsoft.com/entra/identity/app-provisioning/configure-automatic-user-provisioning-portal#settings ' +
  '(configure-automatic-user-provisioning-portal.md, ms.date 03/04/2025)';
const SENDER_PAGES =
  QUARANTINE_PAGE +
  '; https://learn.microsoft.com/entra/architecture/ops-guide-ops#notifications ' +
  '(MicrosoftDocs/entra-docs docs/architecture/ops-guide-ops.md, ms.date 08/17/2022: azure-noreply@microsoft.com sends ' +
  '"Enterprise App Provisioning Service Notifications"); Azure AD what\'s new archive, July 2018 (display name "Microsoft Azure")';

export const NOTIFICATION_EVIDENCE = {
  entered: {
    claim: 'a mail is sent once when the job is placed in quarantine',
    status: 'documented',
    source: `${QUARANTINE_PAGE}: "When an application is placed in quarantine, a one-time notification email is sent."; ${HOW_IT_WORKS_PAGE}`,
  },
  reasonChanged: {
    claim: 'an updated mail is sent when the quarantine reason changes; no other mail while the job stays in quarantine',
    status: 'documented',
    source: `${QUARANTINE_PAGE}: "If the quarantine reason changes, an updated email is sent showing the new reason for quarantine."`,
  },
  deletionThreshold: {
    claim: 'reaching the accidental-deletion threshold quarantines the job and sends a mail',
    status: 'documented',
    source: `${DELETIONS_PAGE}: "When the deletion threshold is met, the job goes into quarantine, and a notification email is sent."`,
  },
  escrowThreshold: {
    claim: 'crossing an escrow threshold quarantines the job, which sends the quarantine mail',
    status: 'documented',
    source: `${QUARANTINE_PAGE}, "Escrow thresholds"`,
  },
  recipient: {
    claim: 'the mail goes to the job\'s Notification Email when "Send an email notification when a failure occurs" is checked',
    status: 'documented',
    source: ZAPIER_PAGE,
  },
  sender: {
    claim:
      'Entra sends it from azure-noreply@microsoft.com, display name "Microsoft Azure"; provsim sends from its own address (it must not forge microsoft.com)',
    status: 'documented',
    source: SENDER_PAGES,
  },
  wording: {
    claim: "the subject and the body's wording are provsim's: Microsoft does not publish the mail's text",
    status: 'UNCONFIRMED',
    source: null,
  },
  noOtherMail: {
    claim:
      'no mail when a quarantined job recovers, for object-level failures under the escrow thresholds, for provision on demand or a dry run, or when Entra disables a job after four weeks in quarantine',
    status: 'UNCONFIRMED',
    source: null,
  },
} as const satisfies Record<string, EvidenceNote>;

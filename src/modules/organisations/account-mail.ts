import type { MailMessage } from '../../platform/mail/mailer.ts';

// The text of account e-mails. Plain words for busy people; the link is the only thing to act on.

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function message(
  to: string,
  subject: string,
  paragraphs: string[],
  link: string,
  action: string,
): MailMessage {
  const text = [...paragraphs.slice(0, 1), `${action}: ${link}`, ...paragraphs.slice(1)].join('\n\n');
  const html = [
    `<p>${escapeHtml(paragraphs[0] ?? '')}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    ...paragraphs.slice(1).map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
  ].join('\n');
  return { to, subject, text: `${text}\n`, html };
}

export function passwordResetMail(to: string, link: string, validMinutes: number): MailMessage {
  return message(
    to,
    'Reset your Haven password',
    [
      'Someone (we hope you) asked to reset the password of your Haven account.',
      `The link works once, for ${validMinutes} minutes. Setting a new password signs you out everywhere else.`,
      'If you did not ask for this, you can ignore this e-mail: your password has not changed.',
    ],
    link,
    'Choose a new password',
  );
}

export function invitationMail(
  to: string,
  link: string,
  organisation: string,
  validDays: number,
): MailMessage {
  return message(
    to,
    `You have been given access to ${organisation} on Haven`,
    [
      `You have been given a Haven account for ${organisation}. Haven holds pupil data for schools, so please choose a strong password you use nowhere else.`,
      `The link works once, for ${validDays} days. If it has expired, ask for a password reset on the sign-in page.`,
      'If you were not expecting this, tell your school’s Haven administrator.',
    ],
    link,
    'Set your password',
  );
}

export function accessGrantedMail(
  to: string,
  organisation: string,
  role: string,
  signInUrl: string,
): MailMessage {
  return message(
    to,
    `You now have access to ${organisation} on Haven`,
    [
      `Your Haven account has been given the role ${role.replaceAll('_', ' ')} at ${organisation}. Sign in with your usual password.`,
      'If you were not expecting this, tell your school’s Haven administrator.',
    ],
    signInUrl,
    'Sign in to Haven',
  );
}

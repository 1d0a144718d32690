// Unique Pupil Numbers (DfE): check letter, 3-digit LA code, 4-digit establishment number, 2-digit year
// of allocation, 3-digit serial; a temporary UPN ends in a letter.
export const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The check letter for the last 12 characters of a UPN, or undefined when they cannot have one. */
export function upnCheckLetter(body: string): string | undefined {
  if (!/^\d{11}[\dABCDEFGHJKLMNPQRTUVWXYZ]$/.test(body)) {
    return undefined;
  }
  let sum = 0;
  for (let index = 0; index < 12; index += 1) {
    const character = body[index] ?? '0';
    const value =
      index === 11 && /[A-Z]/.test(character) ? UPN_ALPHABET.indexOf(character) : Number(character);
    sum += value * (index + 2);
  }
  return UPN_ALPHABET[sum % 23];
}

/** What is wrong with a UPN (naming the rule that failed), or undefined when it is valid. */
export function upnProblem(upn: string): string | undefined {
  if (upn.length !== 13) {
    return `UPN invalid (must be 13 characters, got ${upn.length})`;
  }
  if (!UPN_ALPHABET.includes(upn[0] ?? '')) {
    return 'UPN invalid (character 1 must be a check letter, A–Z without I, O and S)';
  }
  if (!/^\d{11}$/.test(upn.slice(1, 12))) {
    return 'UPN invalid (characters 2–12 must be digits)';
  }
  if (!/^[\dABCDEFGHJKLMNPQRTUVWXYZ]$/.test(upn[12] ?? '')) {
    return 'UPN invalid (character 13 must be a digit, or a letter for a temporary UPN)';
  }
  if (upnCheckLetter(upn.slice(1)) !== upn[0]) {
    return 'UPN invalid (wrong check letter at character 1)';
  }
  return undefined;
}

export function isTemporaryUpn(upn: string): boolean {
  return /[A-Z]$/.test(upn);
}

/** A valid UPN for a 12-character body (LA + establishment + year + serial), for synthetic data. */
export function withCheckLetter(body: string): string {
  const letter = upnCheckLetter(body);
  if (letter === undefined) {
    throw new Error('a UPN body is 11 digits and a digit or letter');
  }
  return `${letter}${body}`;
}

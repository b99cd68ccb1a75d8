// Password rules of the On-Premises client (waba-api.md §3.2): what the webapp accepts for a new
// password, and what the extension checks before sending one.
const SPECIALS = '!"#$%&\'()*+,-./:;<=>?@[]^_`{|}~';

export type PasswordCharacterClass = 'digit' | 'upper' | 'lower' | 'special';

/** What a password lacks under the client's rules (both empty: it is fine). */
export function passwordGaps(password: string): { badLength: boolean; missing: PasswordCharacterClass[] } {
  const badLength = password.length < 8 || password.length > 64;
  const missing: PasswordCharacterClass[] = [];
  if (!/[0-9]/.test(password)) missing.push('digit');
  if (!/[A-Z]/.test(password)) missing.push('upper');
  if (!/[a-z]/.test(password)) missing.push('lower');
  if (![...password].some((c) => SPECIALS.includes(c))) missing.push('special');
  return { badLength, missing };
}

const CLASS_NAMES: Record<PasswordCharacterClass, string> = { digit: 'a digit', upper: 'an upper-case letter', lower: 'a lower-case letter', special: 'a special character' };

/** Why a password breaks the On-Premises client's rules (the webapp's English words), or undefined when it is fine. */
export function passwordProblem(password: string): string | undefined {
  const { badLength, missing } = passwordGaps(password);
  if (badLength) return 'must be 8 to 64 characters long';
  return missing.length ? `needs ${missing.map((c) => CLASS_NAMES[c]).join(', ')}` : undefined;
}

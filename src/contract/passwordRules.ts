// Password rules of the On-Premises client (waba-api.md §3.2): what the webapp accepts for a new
// password, and what the extension checks before sending one.
const SPECIALS = '!"#$%&\'()*+,-./:;<=>?@[]^_`{|}~';

/** Why a password breaks the On-Premises client's rules, or undefined when it is fine. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8 || password.length > 64) return 'must be 8 to 64 characters long';
  const missing: string[] = [];
  if (!/[0-9]/.test(password)) missing.push('a digit');
  if (!/[A-Z]/.test(password)) missing.push('an upper-case letter');
  if (!/[a-z]/.test(password)) missing.push('a lower-case letter');
  if (![...password].some((c) => SPECIALS.includes(c))) missing.push('a special character');
  return missing.length ? `needs ${missing.join(', ')}` : undefined;
}

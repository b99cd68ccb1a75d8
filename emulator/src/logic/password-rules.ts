// Password rules of the On-Premises client (waba-api.md §3.2).
const SPECIALS = '!"#$%&\'()*+,-./:;<=>?@[]^_`{|}~';

/** Returns why the password is not acceptable, or null when it is. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 64) return 'must be 8 to 64 characters long';
  if (!/[0-9]/.test(password)) return 'must contain a digit';
  if (!/[A-Z]/.test(password)) return 'must contain an upper-case letter';
  if (!/[a-z]/.test(password)) return 'must contain a lower-case letter';
  if (![...password].some((c) => SPECIALS.includes(c))) return 'must contain a special character';
  return null;
}

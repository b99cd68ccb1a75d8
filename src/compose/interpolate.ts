/** Variables compose substitutes: the shell's environment over the folder's .env, as compose reads them. */
export type ComposeVariables = Readonly<Record<string, string | undefined>>;

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}` and `$$` the way compose does in a compose file value. A required
 * variable that is missing (`:?`) substitutes as empty: callers that care check the variable itself.
 */
export function interpolate(text: string, vars: ComposeVariables): string {
  return text.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_whole, dollar: string, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (dollar === '$') return '$';
      const name = braced ?? bare!;
      const value = vars[name];
      if (!op) return value ?? '';
      const unsetOrEmpty = op.startsWith(':') ? !value : value === undefined;
      switch (op.slice(-1)) {
        case '-': return unsetOrEmpty ? interpolate(arg ?? '', vars) : value!;
        case '+': return unsetOrEmpty ? '' : interpolate(arg ?? '', vars);
        default: return unsetOrEmpty ? '' : value!; // '?': required
      }
    });
}

/** Whether a compose value refers to the variable (in any of the forms above). */
export function refersTo(text: string, name: string): boolean {
  return new RegExp(`\\$(\\{${name}[}:?+-]|${name}(?![A-Za-z0-9_]))`).test(text);
}

/** Scripts written right to left: their documents are mirrored (dir="rtl"). */
const RIGHT_TO_LEFT = /^(ar|fa|he|ur|ps|ckb|dv|yi)(-|$)/i;

/** How a webview document is marked for VS Code's display language, and the bundle its t() reads. */
export interface WebviewLocale {
  lang: string;
  dir: 'rtl' | 'ltr';
  /** The l10n bundle as JSON that is safe inside a `<script type="application/json">` element. */
  bundleJson: string;
}

export function webviewLocale(language: string, bundle: Readonly<Record<string, string>> | undefined): WebviewLocale {
  return {
    lang: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language) ? language : 'en',
    dir: RIGHT_TO_LEFT.test(language) ? 'rtl' : 'ltr',
    // `<` escaped: a message containing "</script>" must not end the element.
    bundleJson: JSON.stringify(bundle ?? {}).replace(/</g, '\\u003c'),
  };
}

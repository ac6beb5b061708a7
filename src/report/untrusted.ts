/**
 * Neutralizing untrusted text (file, resource, engine and container names, and messages that
 * quote them) before it reaches a terminal, a CI log or a rendered page: one crafted name must
 * not be able to print a fake summary line, clear the screen or inject HTML.
 */

/**
 * Characters that move the cursor, start escape sequences, end lines or reorder text: C0
 * controls (newline and tab included), DEL, C1 controls, the Unicode line and paragraph
 * separators, and the bidirectional overrides and isolates ("Trojan Source").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unprintable character written as a visible escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/**
 * Like `printable`, but newlines and tabs are kept: for multi-line messages to standard error
 * (forwarded program output, notes), where escape sequences are the danger, not line breaks.
 */
export function printableLines(text: string): string {
  return text.replace(UNPRINTABLE, (c) => (c === "\n" || c === "\t" ? c : escapeChar(c)));
}

function escapeChar(c: string): string {
  switch (c) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    default: {
      const code = c.charCodeAt(0);
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    }
  }
}

/**
 * Markdown punctuation that could start emphasis, links, images, code or strike-through, or end
 * a table cell, inside a cell (line-start syntax such as headings and lists cannot occur there).
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~]/g;

/** What `markdownText` changes; text without any of it is returned as it is. */
const MARKDOWN_NEEDS_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069&<>"\\`*_[\]|~@]/;

/**
 * Text for one Markdown table cell, shown literally: unprintable characters escaped, HTML
 * neutralized as entities (no `<img>`, `<script>` or comments survive), Markdown punctuation
 * backslash-escaped (no links, images or emphasis), `@` mentions broken so they ping no one.
 */
export function markdownText(text: string): string {
  if (!MARKDOWN_NEEDS_ESCAPE.test(text)) return text;
  return printable(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b");
}

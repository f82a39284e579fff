// Quoting a caller-supplied argument value for the shell that will read the command, so that
// shell metacharacters in the value reach the command as data.
//
// The quoting state at the placeholder (outside quotes, inside '…', inside "…") decides the
// escape, because ART commands are written with their own quotes around placeholders
// (`"#{gsecdump_exe}" -a`). Rules by shell:
// - sh/bash (POSIX XCU 2.2 Quoting): inside '…' nothing is special but the closing quote, so a
//   quote becomes '\'' ; inside "…" only $ ` \ " are special and take a backslash; outside quotes
//   the value is wrapped in '…'.
// - PowerShell (about_Quoting_Rules): inside '…' a quote is doubled (the typographic quotes
//   ‘ ’ ‚ ‛ count as quotes too); inside "…" the escape character is the backtick, and ` " $ and
//   the typographic “ ” „ are escaped; outside quotes the value is wrapped in '…'.
// - cmd.exe (cmd /? and `set /?`, command-line mode, delayed expansion off): inside "…" every
//   character is literal except % (variable expansion still happens) and the closing quote. A % in
//   the value is emitted as "%" (close the quotes, %, reopen): %VAR% then reads as %"VAR"%, a
//   variable name with quotes, which is never defined, so phase-1 expansion leaves it unchanged on
//   the command line, and the program's own argv parsing drops the quotes again. (^% is not used:
//   Wine 8's cmd keeps or expands it, measured; "%" reads back as % through reg.exe on Wine.)
//   Outside quotes the value is wrapped in "…" the same way. A double quote or a line break cannot
//   be carried through cmd.exe as data (a quote toggles cmd's quote state and the program's argv
//   parsing disagrees), so such a value is rejected. Programs split their command line with the
//   MSVCRT rules, where 2n backslashes before a quote are n backslashes (and 2n+1 escape the quote),
//   so backslashes the value puts right before a quote we write (or the template's own closing
//   quote) are doubled. Known limit: a % in the value can pair with a later %VAR% of the template
//   during expansion, leaving that variable unexpanded.
import { InputError } from '../core/errors.ts';
import type { ExecutorName } from './model.ts';

export type QuoteContext = 'none' | 'single' | 'double';

/** Quoting state at each offset of `text`, for the given shell. Returns the state *before* `offset`. */
export function quoteContextAt(text: string, offset: number, shell: ExecutorName): QuoteContext {
  let state: QuoteContext = 'none';
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (shell === 'command_prompt') {
      if (c === '^' && state === 'none') i++;
      else if (c === '"') state = state === 'double' ? 'none' : 'double';
    } else if (shell === 'powershell') {
      if (state === 'single') {
        if (isPsSingleQuote(c)) {
          if (isPsSingleQuote(text[i + 1])) i++;
          else state = 'none';
        }
      } else if (c === '`') i++;
      else if (state === 'double') {
        if (isPsDoubleQuote(c)) {
          if (isPsDoubleQuote(text[i + 1])) i++;
          else state = 'none';
        }
      } else if (isPsSingleQuote(c)) state = 'single';
      else if (isPsDoubleQuote(c)) state = 'double';
    } else {
      // sh, bash (and manual steps, read as sh)
      if (state === 'single') {
        if (c === "'") state = 'none';
      } else if (c === '\\') i++;
      else if (state === 'double') {
        if (c === '"') state = 'none';
      } else if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
    }
  }
  return state;
}

const isPsSingleQuote = (c: string | undefined) => c === "'" || c === '\u2018' || c === '\u2019' || c === '\u201a' || c === '\u201b';
const isPsDoubleQuote = (c: string | undefined) => c === '"' || c === '\u201c' || c === '\u201d' || c === '\u201e';

/**
 * The value as data for `shell`, given the quoting state where it is inserted. `name` is for
 * messages; `next` is the template character right after the placeholder (cmd.exe: a closing quote
 * there needs the value's trailing backslashes doubled).
 */
export function quoteValue(value: string, context: QuoteContext, shell: ExecutorName, name = 'value', next = ''): string {
  if (value.includes('\0')) throw new InputError('E_ARG_VALUE', `argument ${name}: a NUL character cannot be passed to a command`);
  switch (shell) {
    case 'command_prompt':
      return quoteCmd(value, context, name, next);
    case 'powershell':
      return quotePowerShell(value, context);
    default:
      return quotePosix(value, context);
  }
}

function quotePosix(value: string, context: QuoteContext): string {
  if (context === 'single') return value.replace(/'/g, "'\\''");
  if (context === 'double') return value.replace(/[\\"$`]/g, '\\$&');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}

function quotePowerShell(value: string, context: QuoteContext): string {
  if (context === 'single') return value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&');
  if (context === 'double') return value.replace(/[`"$\u201c\u201d\u201e]/g, '`$&');
  if (/^[A-Za-z0-9_.:\\/-]+$/.test(value)) return value;
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

function quoteCmd(value: string, context: QuoteContext, name: string, next: string): string {
  if (/["\r\n]/.test(value)) {
    throw new InputError('E_ARG_VALUE', `argument ${name}: a double quote or line break cannot be passed through cmd.exe as data`);
  }
  // inside "…": everything but % is literal; % is written "%" (backslashes before a quote doubled)
  const inside = value.replace(/(\\*)%/g, '$1$1"%"');
  const closeBackslashes = (v: string) => v.replace(/(\\+)$/, '$1$1');
  if (context === 'double') return next === '"' ? closeBackslashes(inside) : inside;
  if (/^[A-Za-z0-9_.:\\/-]+$/.test(value)) return value;
  return `"${closeBackslashes(inside)}"`;
}

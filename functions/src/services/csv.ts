/**
 * Every CSV the server writes (scores, the 1022 view, on the API and under /data), made the way the front end's
 * downloads are (packages/kit/share/data.ts): UTF-8 with a byte-order mark, so a spreadsheet program
 * reads Vietnamese; and a text cell that would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return) gets a leading `'`, so a unit name or a code from a source system is shown, never evaluated.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet should show it. Numbers and booleans are left alone: they cannot be formulas. */
export const inertCell = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

export function spreadsheetCsv(rows: unknown[][]): string {
  return `\uFEFF${stringify(rows, { cast: { string: inertCell } })}`;
}

/**
 * Streams text through the personal-data detectors and aggregates: one result per rule per file
 * (or notebook output) with a count, the first line and one masked sample, rather than thousands
 * of findings for a data file full of e-mail addresses. For CSV/TSV, the header row also tells which
 * columns hold dates of birth, medical record numbers and diagnosis codes, whose cells carry no label.
 */
import { maskSecret } from './masking.js';
import { PII_RULES, plausibleDate } from './pii-rules.js';
import type { PiiRule } from './pii-rules.js';

const CARRY = 512;

export interface PiiAggregate {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: PiiRule['severity'];
  readonly classification: PiiRule['classification'];
  readonly category: PiiRule['category'];
  readonly count: number;
  /** 1-based line of the first occurrence within the stream. */
  readonly line: number;
  readonly sample: string;
}

interface Tally {
  rule: PiiRule;
  count: number;
  line: number;
  sample: string;
}

const NAME_COLUMN = /^(?:(?:first|last|full|given|family|middle|patient)[ _-]?)?name$|^surname$/i;
const DOB_COLUMN = /^(?:dob|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthdate|birthday)$/i;
const MRN_COLUMN = /^(?:mrn|medical[ _-]?record(?:[ _-]?(?:number|no|num|id))?|patient[ _-]?id)$/i;
const ICD_COLUMN = /^(?:icd[ _-]?10(?:[ _-]?cm)?(?:[ _-]?code)?|icd(?:[ _-]?code)?|diagnosis(?:[ _-]?code)?|dx(?:[ _-]?code)?)$/i;
/** The column-driven detections report under these rules. */
const RULE_BY_ID: ReadonlyMap<string, PiiRule> = new Map(PII_RULES.map((r) => [r.id, r]));
const rule = (id: string): PiiRule => RULE_BY_ID.get(id) as PiiRule;

const ICD_VALUE = /^[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?$/;

/** Splits one CSV/TSV line into fields (quotes honoured within the line). */
export function splitDelimited(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

interface ColumnPlan {
  readonly delimiter: string;
  readonly dob: readonly number[];
  readonly mrn: readonly number[];
  readonly icd: readonly number[];
  readonly hasName: boolean;
  readonly hasPatient: boolean;
}

/** Which columns of a header hold sensitive values, or undefined when none does. */
function planFromNames(names: readonly string[], delimiter: string): ColumnPlan | undefined {
  const idx = (re: RegExp): number[] => names.flatMap((n, i) => (re.test(n) ? [i] : []));
  const dob = idx(DOB_COLUMN);
  const mrn = idx(MRN_COLUMN);
  const icd = idx(ICD_COLUMN);
  const hasName = names.some((n) => NAME_COLUMN.test(n));
  const hasPatient = mrn.length > 0 || names.some((n) => /patient/i.test(n));
  if (dob.length + mrn.length + icd.length === 0) return undefined;
  return { delimiter, dob, mrn, icd, hasName, hasPatient };
}

function planColumns(header: string, delimiter: string): ColumnPlan | undefined {
  return planFromNames(splitDelimited(header.replace(/\r$/, ''), delimiter), delimiter);
}

/**
 * `printed` is text that may hold printed tables (notebook outputs: `df.head()`, `print(rows)`),
 * whose cells carry no label either; their header line names the columns, the rows follow until a
 * blank line. Cells are split on whitespace, so they are matched by shape rather than by position
 * (pandas aligns columns, but names with spaces shift the token positions).
 */
export type PiiTextKind = 'csv' | 'tsv' | 'text' | 'printed';

/** Longest line considered as a printed-table header or row; longer lines are not tables. */
const MAX_TABLE_LINE = 4096;
const SSN_SHAPE = /^[0-9]{3}-[0-9]{2}-[0-9]{4}$/;
const DATE_SHAPE = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4})$/;

/** A printed table's header: whitespace-separated names, at least one of them a sensitive column. */
function planPrintedTable(line: string): ColumnPlan | undefined {
  if (line.length > MAX_TABLE_LINE) return undefined;
  const names = line.trim().split(/\s+/);
  return names.length < 2 ? undefined : planFromNames(names, ' ');
}

export class PiiStream {
  readonly #kind: PiiTextKind;
  readonly #tallies = new Map<string, Tally>();
  #carry = '';
  #carryStart = 0; // absolute offset of #carry[0]
  #processed = 0; // absolute offset up to which matches were taken
  #linesBefore = 0; // newlines before #processed
  #plan: ColumnPlan | undefined;
  #headerSeen = false;
  #partialLine = '';

  constructor(kind: PiiTextKind) {
    this.#kind = kind;
  }

  push(chunk: Uint8Array): void {
    this.#run(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'), false);
  }

  pushText(text: string): void {
    this.#run(text, false);
  }

  end(): PiiAggregate[] {
    this.#run('', true);
    return [...this.#tallies.values()].map((t) => ({
      ruleId: `secrets/${t.rule.id}`,
      title: t.rule.title,
      severity: t.rule.severity,
      classification: t.rule.classification,
      category: t.rule.category,
      count: t.count,
      line: t.line,
      sample: maskSecret(t.sample),
    }));
  }

  #tally(rule: PiiRule, value: string, line: () => number): void {
    const existing = this.#tallies.get(rule.id);
    if (existing !== undefined) existing.count += 1;
    else this.#tallies.set(rule.id, { rule, count: 1, line: line(), sample: value });
  }

  #run(more: string, final: boolean): void {
    const text = this.#carry + more;
    const base = this.#carryStart;
    const from = this.#processed - base;
    const to = final ? text.length : Math.max(from, text.length - CARRY);
    if (to > from) {
      const lineOf = (index: number): number => {
        let n = this.#linesBefore + 1;
        for (let i = text.indexOf('\n', from); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n += 1;
        return n;
      };
      for (const rule of PII_RULES) {
        const pattern = rule.pattern;
        pattern.lastIndex = from;
        for (let m = pattern.exec(text); m !== null && m.index < to; m = pattern.exec(text)) {
          if (m[0].length === 0) pattern.lastIndex += 1;
          const value = rule.accept(m, text);
          if (value !== undefined) {
            const at = m.index;
            this.#tally(rule, value, () => lineOf(at));
          }
        }
      }
      if (this.#kind !== 'text') this.#columns(text.slice(from, to), final, lineOf, from);
      for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) this.#linesBefore += 1;
    }
    const keepFrom = Math.max(0, to - CARRY);
    this.#carry = text.slice(keepFrom);
    this.#carryStart = base + keepFrom;
    this.#processed = base + to;
  }

  /** Header-aware pass over complete CSV/TSV lines (or printed-table lines). */
  #columns(segment: string, final: boolean, lineOf: (index: number) => number, segmentStart: number): void {
    const text = this.#partialLine + segment;
    const offset = segmentStart - this.#partialLine.length;
    const lastNewline = text.lastIndexOf('\n');
    const complete = final ? text.length : lastNewline + 1;
    this.#partialLine = text.slice(complete);
    if (this.#partialLine.length > 1_000_000) this.#partialLine = ''; // a "line" that long is not a CSV row
    let start = 0;
    while (start < complete) {
      let end = text.indexOf('\n', start);
      if (end < 0 || end >= complete) end = complete;
      const line = text.slice(start, end);
      if (this.#kind === 'printed') {
        this.#printedLine(line.replace(/\r$/, ''), () => lineOf(offset + start));
      } else if (!this.#headerSeen) {
        this.#headerSeen = true;
        this.#plan = planColumns(line, this.#kind === 'tsv' ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',');
        if (this.#plan === undefined) {
          this.#partialLine = '';
          return;
        }
      } else if (this.#plan !== undefined && line.length < 100_000) {
        this.#row(splitDelimited(line.replace(/\r$/, ''), this.#plan.delimiter), () => lineOf(offset + start));
      }
      start = end + 1;
    }
    if (this.#kind !== 'printed' && this.#headerSeen && this.#plan === undefined) this.#partialLine = '';
  }

  /** One line of printed text: a table header starts a table, a blank or over-long line ends it. */
  #printedLine(line: string, lineNumber: () => number): void {
    if (line.trim() === '' || line.length > MAX_TABLE_LINE) {
      this.#plan = undefined;
      return;
    }
    const header = planPrintedTable(line);
    if (header !== undefined) {
      this.#plan = header;
      return;
    }
    if (this.#plan !== undefined) this.#printedRow(line.trim().split(/\s+/), lineNumber);
  }

  /** Cells of a printed row, matched by shape against the columns its header announced. */
  #printedRow(cells: readonly string[], line: () => number): void {
    const plan = this.#plan as ColumnPlan;
    for (const raw of cells) {
      const v = raw.replace(/^["'(\[]+|["',)\]]+$/g, '');
      if (DATE_SHAPE.test(v)) {
        if (plan.dob.length > 0 && plan.hasName && plausibleDate(v)) this.#tally(rule('pii-date-of-birth'), v, line);
      } else if (plan.icd.length > 0 && plan.hasPatient && ICD_VALUE.test(v.toUpperCase())) {
        this.#tally(rule('pii-icd10-code'), v.toUpperCase(), line);
      } else if (
        plan.mrn.length > 0 &&
        !SSN_SHAPE.test(v) &&
        /^[A-Za-z0-9-]{5,15}$/.test(v) &&
        (v.match(/[0-9]/g)?.length ?? 0) >= 5 &&
        !/^[0-9]{1,4}$/.test(v)
      ) {
        this.#tally(rule('pii-medical-record-number'), v, line);
      }
    }
  }

  #row(fields: readonly string[], line: () => number): void {
    const plan = this.#plan as ColumnPlan;
    if (plan.hasName) {
      for (const i of plan.dob) {
        const v = fields[i];
        if (v !== undefined && plausibleDate(v)) this.#tally(rule('pii-date-of-birth'), v, line);
      }
    }
    for (const i of plan.mrn) {
      const v = fields[i];
      if (v !== undefined && /^[A-Za-z0-9-]{5,15}$/.test(v) && (v.match(/[0-9]/g)?.length ?? 0) >= 5) {
        this.#tally(rule('pii-medical-record-number'), v, line);
      }
    }
    if (plan.hasPatient) {
      for (const i of plan.icd) {
        const v = fields[i]?.toUpperCase();
        if (v !== undefined && ICD_VALUE.test(v)) this.#tally(rule('pii-icd10-code'), v, line);
      }
    }
  }
}

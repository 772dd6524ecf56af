/**
 * The demo workspace's leaking notebook, written at run time.
 *
 * Northwind's ml-platform repository holds an exploratory notebook that leaks an OpenAI key in a
 * cell, a warehouse password in a traceback, and patient data (names, medical record numbers,
 * dates of birth, SSNs, ICD-10 codes) in a printed data frame — the notebook leak the assessment
 * must find. The credentials are format-valid and random, generated when the demo first runs and
 * never committed: Warden's own repository must stay clean under whatever secret scanner our users
 * point at it. All personal data is invented at random; the SSNs have a valid shape (a scanner
 * rightly ignores the never-issued 9xx area) but belong to nobody in particular.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where the notebook goes, relative to the demo workspace folder. */
export const DEMO_NOTEBOOK_PATH = join('repos', 'ml-platform', 'notebooks', 'readmission-eda.ipynb');

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number, alphabet = ALPHANUMERIC): string {
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}

interface Patient {
  readonly name: string;
  readonly mrn: string;
  readonly dob: string;
  readonly ssn: string;
  readonly icd10: string;
  readonly email: string;
}

const FIRST = ['Maria', 'James', 'Aisha', 'Tomasz', 'Grace', 'Luis', 'Mei', 'Olu'];
const LAST = ['Okafor', 'Lindqvist', 'Haddad', 'Brennan', 'Nakamura', 'Castillo', 'Novak', 'Reyes'];
const ICD10 = ['I50.9', 'E11.65', 'J44.1', 'N18.4', 'I21.4', 'A41.9'];

function patients(count: number): Patient[] {
  const out: Patient[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 3) % LAST.length] as string;
    const year = 1940 + randomInt(50);
    out.push({
      name: `${first} ${last}`,
      mrn: `MRN-${String(randomInt(10_000_000)).padStart(7, '0')}`,
      dob: `${year}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`,
      ssn: `${String(100 + randomInt(560)).padStart(3, '0')}-${String(10 + randomInt(89)).padStart(2, '0')}-${String(1000 + randomInt(8999)).padStart(4, '0')}`,
      icd10: ICD10[i % ICD10.length] as string,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@example.org`,
    });
  }
  return out;
}

function frameText(rows: readonly Patient[]): string[] {
  const header = '   patient_name        mrn          dob         ssn          diagnosis_code   email';
  const lines = rows.map((p, i) => `${String(i).padEnd(3)}${p.name.padEnd(20)}${p.mrn.padEnd(13)}${p.dob.padEnd(12)}${p.ssn.padEnd(13)}${p.icd10.padEnd(17)}${p.email}`);
  return [header, ...lines].map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));
}

function source(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

/** The notebook (nbformat 4) as JSON text, with fresh random credentials. */
export function demoNotebookText(): string {
  const openAiKey = `sk-proj-${randomText(48, `${ALPHANUMERIC}_-`)}T3BlbkFJ${randomText(40, `${ALPHANUMERIC}_-`)}`;
  const dbPassword = randomText(20);
  const rows = patients(6);
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: source('# Readmission — exploratory analysis\nQuick look at the March extract before feature engineering.') },
      {
        cell_type: 'code',
        id: 'setup',
        metadata: {},
        execution_count: 1,
        source: source(`import pandas as pd\nfrom openai import OpenAI\n\nclient = OpenAI(api_key="${openAiKey}")`),
        outputs: [],
      },
      {
        cell_type: 'code',
        id: 'load',
        metadata: {},
        execution_count: 2,
        source: source('df = pd.read_parquet("s3://nw-mercy-raw/patients/2026-03/")\ndf.head(6)'),
        outputs: [{ output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': frameText(rows) } }],
      },
      {
        cell_type: 'code',
        id: 'warehouse',
        metadata: {},
        execution_count: 3,
        source: source('import sqlalchemy\nengine = sqlalchemy.create_engine(WAREHOUSE_URL)\nengine.connect()'),
        outputs: [
          {
            output_type: 'error',
            ename: 'OperationalError',
            evalue: `could not connect to server: postgresql://analyst:${dbPassword}@warehouse.internal.northwind.example:5432/mercy`,
            traceback: [
              'Traceback (most recent call last):',
              '  File "<ipython-input-3>", line 3, in <module>',
              `OperationalError: could not connect to server: postgresql://analyst:${dbPassword}@warehouse.internal.northwind.example:5432/mercy`,
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/**
 * Writes the notebook into the demo workspace unless one is already there (a run keeps the same
 * leak, so `warden diff` between two demo runs shows no churn). Returns the path written, or
 * undefined when the file existed. Throws when the folder cannot be written; the caller decides.
 */
export async function ensureDemoNotebook(workspaceDir: string): Promise<string | undefined> {
  const path = join(workspaceDir, DEMO_NOTEBOOK_PATH);
  try {
    await readFile(path);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, demoNotebookText(), { flag: 'wx' }).catch((error: unknown) => {
    // Two demo runs racing: the other one wrote it first, which is just as good.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return path;
}

/**
 * `warden model sign` and `warden model verify`: OpenSSF model signing (model_signing v1.0 format,
 * sigstore/model-transparency) with ECDSA keys or X.509 certificates. Failures are thrown as
 * WardenError; the program maps their kind to the exit code (SIGNATURE_INVALID is "refused").
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { formatBytes } from './model-registry-render.js';
import { WardenError, isWardenError } from '../../domain/index.js';
import { resolveIgnorePath, signModel, verifyModel } from '../../registry/index.js';
import type { SignerIdentity, VerifyModelResult } from '../../registry/index.js';

interface SignFlags {
  readonly key: string;
  readonly signature?: string;
  readonly signingCertificate?: string;
  readonly certificateChain?: string[];
  readonly ignorePaths?: string[];
  readonly ignoreGitPaths: boolean;
  readonly method: 'files' | 'shards';
  readonly shardSize?: string;
  readonly allowSymlinks?: boolean;
  readonly workers?: string;
  readonly format: 'text' | 'json';
}

interface VerifyFlags {
  readonly signature: string;
  readonly publicKey?: string;
  readonly certificateChain?: string[];
  readonly ignorePaths?: string[];
  readonly ignoreGitPaths: boolean;
  readonly workers?: string;
  readonly format: 'text' | 'json';
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new WardenError('USAGE', `${flag} must be a positive integer, got ${value}`);
  }
  return Number(value);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describeSigner(signer: SignerIdentity): string {
  if (signer.kind === 'public-key') return `key sha256:${signer.keyHint.slice(0, 16)}… (ECDSA ${signer.curve})`;
  return `certificate ${signer.subject} (ECDSA ${signer.curve}; chain ${signer.path.join(' → ')})`;
}

async function defaultSignaturePath(modelPath: string): Promise<string> {
  const info = await stat(modelPath).catch(() => null);
  if (info === null) throw new WardenError('INPUT_NOT_FOUND', `model path ${modelPath} does not exist`);
  // A folder keeps its signature inside (excluded from the manifest, as model_signing does); a
  // single-file model gets a sibling "<file>.sig".
  return info.isDirectory() ? join(modelPath, 'model.sig') : `${modelPath}.sig`;
}

async function ignoreList(modelPath: string, raw: readonly string[] | undefined): Promise<string[]> {
  return Promise.all((raw ?? []).map((path) => resolveIgnorePath(modelPath, path)));
}

/** Where the commands print; tests pass their own sinks, the program uses the process streams. */
export interface CommandOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

async function runSign(modelPath: string, flags: SignFlags, io: CommandOutput): Promise<void> {
  if (flags.certificateChain !== undefined && flags.signingCertificate === undefined) {
    throw new WardenError('USAGE', '--certificate-chain needs --signing-certificate when signing');
  }
  const result = await signModel({
    modelPath,
    keyPath: flags.key,
    signaturePath: flags.signature ?? (await defaultSignaturePath(modelPath)),
    ...(flags.signingCertificate === undefined ? {} : { signingCertificatePath: flags.signingCertificate }),
    certificateChainPaths: flags.certificateChain ?? [],
    ignorePaths: await ignoreList(modelPath, flags.ignorePaths),
    ignoreGitPaths: flags.ignoreGitPaths,
    method: flags.method,
    ...(flags.shardSize === undefined ? {} : { shardSize: positiveInteger(flags.shardSize, '--shard-size') }),
    allowSymlinks: flags.allowSymlinks === true,
    workers: positiveInteger(flags.workers, '--workers'),
  });
  if (flags.format === 'json') {
    io.out(line(JSON.stringify({ signed: true, ...result }, null, 2)));
    return;
  }
  const signer =
    result.certificateSubject === null
      ? `key sha256:${result.keyHint.slice(0, 16)}… (ECDSA ${result.curve})`
      : `certificate ${result.certificateSubject} (ECDSA ${result.curve})`;
  io.out(
    line(
      `signed ${plural(result.fileCount, 'file')} (${formatBytes(result.totalBytes)}, ${plural(result.resourceCount, 'resource')}) ` +
        `of model ${result.modelName} with ${signer}; signature written to ${result.signaturePath}`,
    ),
  );
}

function verifyJson(result: VerifyModelResult): string {
  return JSON.stringify({ verified: true, ...result }, null, 2);
}

async function runVerify(modelPath: string, flags: VerifyFlags, io: CommandOutput): Promise<void> {
  const hasChain = (flags.certificateChain?.length ?? 0) > 0;
  if ((flags.publicKey === undefined) === !hasChain) {
    throw new WardenError('USAGE', 'give exactly one of --public-key or --certificate-chain');
  }
  try {
    const result = await verifyModel({
      modelPath,
      signaturePath: flags.signature,
      ...(flags.publicKey === undefined ? { certificateChainPaths: flags.certificateChain ?? [] } : { publicKeyPath: flags.publicKey }),
      ignorePaths: await ignoreList(modelPath, flags.ignorePaths),
      ignoreGitPaths: flags.ignoreGitPaths,
      workers: positiveInteger(flags.workers, '--workers'),
    });
    if (flags.format === 'json') {
      io.out(line(verifyJson(result)));
      return;
    }
    for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    io.out(
      line(
        `verified ${plural(result.fileCount, 'file')} (${formatBytes(result.totalBytes)}) of model ${result.modelName}, ` +
          `signed by ${describeSigner(result.signer)}`,
      ),
    );
  } catch (error) {
    // JSON consumers get a document on stdout for a failed verification too; the error still
    // propagates so the exit code says "refused".
    if (flags.format === 'json' && isWardenError(error)) {
      io.out(line(JSON.stringify({ verified: false, code: error.code, reason: error.message, details: error.details }, null, 2)));
    }
    throw error;
  }
}

const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

/** Adds `sign` and `verify` to the `model` command. */
export function registerModelSignCommands(model: Command, io: CommandOutput = processOutput): void {
  model
    .command('sign')
    .description('sign a model folder (or single file) in the OpenSSF model signing format (Sigstore bundle, DSSE, in-toto)')
    .argument('<model>', 'model folder or single model file')
    .requiredOption('--key <pem>', 'EC private key (P-256, P-384 or P-521) in PEM')
    .option('--signature <path>', 'where to write the signature (default: <model>/model.sig, or <file>.sig)')
    .option('--signing-certificate <pem>', 'sign with this X.509 certificate for --key (bundle carries the chain)')
    .option('--certificate-chain <pem...>', 'certificates that chain the signing certificate up (with --signing-certificate)')
    .option('--ignore-paths <path...>', 'paths to leave out of the manifest (relative to the model, or to the working directory)')
    .option('--no-ignore-git-paths', 'include .git, .gitattributes, .github and .gitignore')
    .addOption(new Option('--method <method>', 'manifest granularity').choices(['files', 'shards']).default('files'))
    .option('--shard-size <bytes>', 'shard size for --method shards (default 1000000000)')
    .option('--allow-symlinks', 'hash symbolic links to files by their target instead of refusing them')
    .option('--workers <n>', 'hashing worker threads (default: available cores, at most 8)')
    .addOption(formatOption())
    .action(async (modelPath: string, flags: SignFlags) => runSign(modelPath, flags, io));

  model
    .command('verify')
    .description('verify a model against a model signing bundle (ours or the model_signing tool\'s)')
    .argument('<model>', 'model folder or single model file')
    .requiredOption('--signature <path>', 'the signature bundle (e.g. model.sig)')
    .option('--public-key <pem>', 'EC public key the model was signed with')
    .option('--certificate-chain <pem...>', 'trusted CA certificate file(s) for certificate-signed models')
    .option('--ignore-paths <path...>', 'extra paths to leave out (the signer\'s recorded list always applies)')
    .option('--no-ignore-git-paths', 'do not skip .git, .gitattributes, .github and .gitignore')
    .option('--workers <n>', 'hashing worker threads (default: available cores, at most 8)')
    .addOption(formatOption())
    .action(async (modelPath: string, flags: VerifyFlags) => runVerify(modelPath, flags, io));
}

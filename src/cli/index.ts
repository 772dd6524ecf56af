// Placeholder entry until the CLI lands in this session.
export async function main(_argv: readonly string[]): Promise<number> {
  return 0;
}

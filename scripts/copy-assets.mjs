// Copies the non-TypeScript assets the compiled code reads at run time (catalog data, report
// templates) next to the compiled JavaScript in dist/.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pairs = [];
function collect(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full);
    else if (/\.(ya?ml|json|css|html|txt)$/.test(name)) pairs.push(full);
  }
}
collect('src');
for (const file of pairs) {
  const target = join('dist', file);
  cpSync(file, target);
}
if (!existsSync('dist/src')) throw new Error('dist/src is missing: did tsc run?');

// The HCL2 parser: what Terraform users write must come out as values with the right lines, and
// what it does not model must be kept as text, never crash and never hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHcl } from '../../../src/scanners/iac/index.js';
import type { IacNode } from '../../../src/scanners/iac/index.js';

function attr(body: IacNode | undefined, key: string): IacNode | undefined {
  if (body?.kind !== 'map') return undefined;
  return body.entries.find((e) => e.key === key)?.value;
}

describe('HCL parser', () => {
  it('reads blocks, labels, attributes of every literal type, and their lines', () => {
    const source = [
      '# comment',
      'resource "aws_instance" "gpu" {',
      '  ami           = "ami-123" // trailing comment',
      '  count         = 2',
      '  ebs_optimized = true',
      '  tags          = { Name = "gpu", "team" : "ml" }',
      '  cidrs         = ["10.0.0.0/8",',
      '                   "192.168.0.0/16"]',
      '  nothing       = null',
      '  /* block',
      '     comment */',
      '  neg           = -1.5',
      '}',
    ].join('\n');
    const file = parseHcl(source);
    assert.deepEqual(file.errors, []);
    const block = file.blocks[0];
    assert.equal(block?.type, 'resource');
    assert.deepEqual(block?.labels, ['aws_instance', 'gpu']);
    assert.equal(block?.line, 2);
    const body = block?.body;
    assert.deepEqual(attr(body, 'ami'), { kind: 'scalar', value: 'ami-123', line: 3 });
    assert.deepEqual(attr(body, 'count'), { kind: 'scalar', value: 2, line: 4 });
    assert.deepEqual(attr(body, 'ebs_optimized'), { kind: 'scalar', value: true, line: 5 });
    const tags = attr(body, 'tags');
    assert.equal(tags?.kind, 'map');
    assert.deepEqual(tags?.kind === 'map' ? tags.entries.map((e) => [e.key, e.value.kind === 'scalar' ? e.value.value : '?']) : [], [['Name', 'gpu'], ['team', 'ml']]);
    const cidrs = attr(body, 'cidrs');
    assert.deepEqual(cidrs?.kind === 'list' ? cidrs.items.map((i) => (i.kind === 'scalar' ? [i.value, i.line] : '?')) : [], [['10.0.0.0/8', 7], ['192.168.0.0/16', 8]]);
    assert.deepEqual(attr(body, 'nothing'), { kind: 'scalar', value: null, line: 9 });
    assert.deepEqual(attr(body, 'neg'), { kind: 'scalar', value: -1.5, line: 12 });
  });

  it('collects nested blocks into lists and treats dynamic blocks as blocks of their label', () => {
    const source = `resource "aws_security_group" "sg" {
  ingress {
    from_port = 22
  }
  ingress {
    from_port = 8888
  }
  dynamic "egress" {
    for_each = var.rules
    content {
      from_port = egress.value.port
    }
  }
}`;
    const body = parseHcl(source).blocks[0]?.body;
    const ingress = attr(body, 'ingress');
    assert.equal(ingress?.kind, 'list');
    assert.deepEqual(ingress?.kind === 'list' ? ingress.items.map((i) => attr(i, 'from_port')) : [], [
      { kind: 'scalar', value: 22, line: 3 },
      { kind: 'scalar', value: 8888, line: 6 },
    ]);
    const egress = attr(body, 'egress');
    assert.equal(egress?.kind === 'list' ? attr(egress.items[0], 'from_port')?.kind : undefined, 'expr');
  });

  it('keeps interpolations, references, conditionals and for-expressions as text', () => {
    const source = `locals {
  name   = "\${var.prefix}-data"
  ref    = aws_s3_bucket.data.arn
  pick   = var.public ? "0.0.0.0/0" : "10.0.0.0/8"
  keys   = [for k, v in var.m : k if v != null]
  nested = "\${lookup(var.m, "}", "x")}"
  plain  = "$\${literal}"
}`;
    const body = parseHcl(source).blocks[0]?.body;
    assert.deepEqual(attr(body, 'name'), { kind: 'scalar', value: '${var.prefix}-data', line: 2, dynamic: true });
    assert.deepEqual(attr(body, 'ref'), { kind: 'expr', text: 'aws_s3_bucket.data.arn', line: 3 });
    assert.equal(attr(body, 'pick')?.kind, 'expr');
    assert.equal((attr(body, 'pick') as { text: string }).text, 'var.public ? "0.0.0.0/0" : "10.0.0.0/8"');
    assert.equal(attr(body, 'keys')?.kind, 'expr');
    assert.equal(attr(body, 'nested')?.kind, 'scalar');
    assert.deepEqual(attr(body, 'plain'), { kind: 'scalar', value: '${literal}', line: 7 });
  });

  it('keeps function-call arguments, so jsonencode policies can be read', () => {
    const source = `resource "aws_s3_bucket_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*" }]
  })
}`;
    const policy = attr(parseHcl(source).blocks[0]?.body, 'policy');
    assert.equal(policy?.kind, 'expr');
    assert.equal(policy?.kind === 'expr' ? policy.fn : undefined, 'jsonencode');
    const statement = policy?.kind === 'expr' ? attr(policy.args?.[0], 'Statement') : undefined;
    assert.equal(statement?.kind === 'list' ? attr(statement.items[0], 'Principal')?.kind : undefined, 'scalar');
  });

  it('reads heredocs, stripping the indentation of <<- forms', () => {
    const source = 'locals {\n  a = <<EOT\n  keep\nEOT\n  b = <<-EOT\n    strip\n      more\n    EOT\n  c = 1\n}\n';
    const body = parseHcl(source).blocks[0]?.body;
    assert.deepEqual(attr(body, 'a'), { kind: 'scalar', value: '  keep', line: 2 });
    assert.deepEqual(attr(body, 'b'), { kind: 'scalar', value: 'strip\n  more', line: 5 });
    assert.deepEqual(attr(body, 'c'), { kind: 'scalar', value: 1, line: 9 });
  });

  it('parses module-style code: multi-line conditionals around calls, for-expressions in arguments, comments in lists', () => {
    const source = `locals {
  create = var.create && !var.disabled
  policy = local.create && local.attach ? replace(
    replace(
      data.aws_iam_policy_document.combined[0].json,
      "_ID_", local.ids["_ID_"]
    ),
    "_ARN_", try(aws_s3_bucket.this[0].arn, null)
  ) : ""
  regions = {
    us-east-1 = "127311923021"
    eu-west-1 = "156460612806"
  }
  names = aws_instance.gpu[*].id
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = local.create ? 1 : 0
  dynamic "filter" {
    for_each = rule.value.filter == null || max(
      length([for k, a in {
        prefix = rule.value.filter.prefix
      } : k if a != null]),
      0
    ) == 0 ? [true] : []

    content {
      # nothing
    }
  }
  depends_on = [
    # versioning first
    aws_s3_bucket_versioning.this,
    aws_s3_bucket_replication_configuration.this
  ]
}

resource "aws_sagemaker_notebook_instance" "after" {
  name = "still-parsed"
}
`;
    const file = parseHcl(source);
    assert.deepEqual(file.errors, []);
    assert.deepEqual(file.blocks.map((b) => b.type), ['locals', 'resource', 'resource']);
    const locals = file.blocks[0]?.body;
    assert.equal(attr(locals, 'policy')?.kind, 'expr');
    assert.equal(attr(locals, 'policy')?.line, 3);
    const regions = attr(locals, 'regions');
    assert.deepEqual(regions?.kind === 'map' ? regions.entries.map((e) => e.key) : [], ['us-east-1', 'eu-west-1']);
    assert.equal(attr(locals, 'names')?.kind, 'expr');
    const deps = attr(file.blocks[1]?.body, 'depends_on');
    assert.equal(deps?.kind === 'list' ? deps.items.length : 0, 2);
    assert.deepEqual(attr(file.blocks[2]?.body, 'name'), { kind: 'scalar', value: 'still-parsed', line: 39 });
  });

  it('records a broken statement and resumes at the next top-level block', () => {
    const source = 'resource "a" "b" {\n  x = = 1\n}\n\nresource "aws_s3_bucket" "ok" {\n  bucket = "fine"\n}\n';
    const file = parseHcl(source);
    assert.equal(file.errors.length, 1);
    assert.equal(file.errors[0]?.line, 2);
    assert.deepEqual(file.blocks.map((b) => b.labels.join('.')), ['aws_s3_bucket.ok']);
  });

  it('rejects hostile nesting and unterminated input with an error instead of crashing', () => {
    const deep = `locals {\n  x = ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`;
    const file = parseHcl(deep);
    assert.equal(file.blocks.length, 0);
    assert.match(file.errors[0]?.message ?? '', /nesting too deep/);
    assert.throws(() => parseHcl('locals {\n  x = "unterminated\n}\n'), /unterminated string at line 2/);
    assert.throws(() => parseHcl('locals {\n  x = <<EOT\nno end\n'), /unterminated heredoc/);
  });

  it('stops at the time budget', () => {
    const big = 'locals {\n' + '  a = [1, 2, 3]\n'.repeat(50_000) + '}\n';
    assert.throws(() => parseHcl(big, { deadline: Date.now() - 1 }), /parse time limit/);
  });
});

// YAML and JSON into position-aware nodes: CloudFormation tags, merge keys, lines, and bounds on
// hostile alias expansion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYaml } from '../../../src/scanners/iac/index.js';
import type { IacNode } from '../../../src/scanners/iac/index.js';

function get(node: IacNode | undefined, ...keys: string[]): IacNode | undefined {
  let current = node;
  for (const key of keys) {
    if (current?.kind !== 'map') return undefined;
    current = current.entries.filter((e) => e.key === key).pop()?.value;
  }
  return current;
}

describe('YAML source', () => {
  it('turns CloudFormation short-form intrinsics into unknown expressions with their line', () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "${AWS::StackName}-data"\n      Tags: !If [IsProd, [], !Ref AWS::NoValue]\n      Arn: !GetAtt Role.Arn\n';
    const { documents, errors } = parseYaml(text);
    assert.deepEqual(errors, []);
    const props = get(documents[0]?.node, 'Resources', 'B', 'Properties');
    const name = get(props, 'BucketName');
    assert.equal(name?.kind, 'expr');
    assert.equal(name?.kind === 'expr' ? name.fn : undefined, 'Fn::Sub');
    assert.equal(name?.line, 5);
    const tags = get(props, 'Tags');
    assert.equal(tags?.kind === 'expr' ? tags.fn : undefined, 'Fn::If');
    assert.equal(get(props, 'Arn')?.kind === 'expr' ? (get(props, 'Arn') as { fn: string }).fn : undefined, 'Fn::GetAtt');
  });

  it('reads every document of a multi-document stream with its own lines', () => {
    const text = 'kind: A\n---\n# comment\nkind: B\nspec:\n  x: 1\n---\n';
    const { documents } = parseYaml(text);
    assert.deepEqual(documents.filter((d) => d.node !== undefined).map((d) => [get(d.node, 'kind')?.kind === 'scalar' ? (get(d.node, 'kind') as { value: string }).value : '', d.line]), [['A', 1], ['B', 4]]);
    assert.equal(get(documents[1]?.node, 'spec', 'x')?.line, 6);
  });

  it('expands merge keys with explicit keys winning', () => {
    const text = 'base: &b\n  image: a\n  privileged: true\nsvc:\n  <<: *b\n  image: b\n';
    const svc = get(parseYaml(text).documents[0]?.node, 'svc');
    assert.deepEqual(get(svc, 'image'), { kind: 'scalar', value: 'b', line: 6 });
    assert.equal(get(svc, 'privileged')?.kind === 'scalar' ? (get(svc, 'privileged') as { value: boolean }).value : undefined, true);
  });

  it('bounds alias expansion ("billion laughs") quickly instead of exhausting memory', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 12; i += 1) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const started = Date.now();
    assert.throws(() => parseYaml(lines.join('\n')), /too many|alias/);
    assert.ok(Date.now() - started < 5000, 'rejected within seconds');
  });

  it('rejects a self-referencing alias instead of recursing forever', () => {
    assert.throws(() => parseYaml('a: &x [1, *x]\n'), /nested deeper|alias|too many/);
  });

  it('reports syntax errors with their line and keeps the other documents', () => {
    const result = parseYaml('a: 1\n---\nb: [unclosed\n---\nc: 3\n');
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /line \d+/);
    assert.equal(result.documents.length, 2);
  });

  it('gives JSON values their line too', () => {
    const { documents } = parseYaml('{\n  "a": {\n    "b": "c"\n  }\n}\n');
    assert.deepEqual(get(documents[0]?.node, 'a', 'b'), { kind: 'scalar', value: 'c', line: 3 });
  });
});

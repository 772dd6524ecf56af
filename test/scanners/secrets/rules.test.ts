// Every rule: at least one value it must find and look-alikes it must not, built at run time
// (no key-shaped literal is committed), plus structural checks that keep every pattern linear.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_SECRET_RULES, SECRET_RULE_DESCRIPTORS } from '../../../src/scanners/secrets/index.js';
import { ALNUM, B64, FakeCredentials, URLSAFE, j } from '../../fixtures/secrets/fake-credentials.js';
import { ruleIds } from './helpers.js';

const f = new FakeCredentials(42);
const hex = (n: number): string => f.hexMixed(n);
const an = (n: number): string => f.mixed(n);

interface Case {
  readonly yes: readonly string[];
  readonly no: readonly string[];
  readonly kind?: 'code' | 'config';
}

const pemBody = (): string => (f.chars(1200, B64).match(/.{1,64}/g) ?? []).join('\n');
const openssh = f.opensshPrivateKey();
const dockerAuth = Buffer.from(`ci:${f.password()}`).toString('base64');

const CASES: Record<string, Case> = {
  'openai-project-key': { yes: [`key = "${f.openai()}"`], no: [`key = "${j('sk-', 'proj-', '...', 'XXXX')}"`, `key = "${j('sk-', 'proj-', 'x'.repeat(40))}"`] },
  'openai-legacy-key': { yes: [`k=${f.openaiLegacy()}`], no: [`k=${j('sk-', an(20), 'T3Blbk', 'FJ', an(5))}`] },
  'anthropic-api-key': { yes: [`ANTHROPIC_API_KEY=${f.anthropic()}`], no: ['ANTHROPIC_API_KEY=<your-key>', `x=${j('sk-', 'ant-', 'api03-', 'short')}`] },
  'huggingface-token': { yes: [`HF_TOKEN=${f.huggingface()}`], no: [`HF_TOKEN=${j('h', 'f_', 'abcdefghijklmnopqrstuvwxyzabcdefgh')}`, `use=${j('h', 'f_', 'hub')}`] },
  'huggingface-org-token': { yes: [`t=${j('api', '_org_', f.huggingface().slice(3))}`], no: [`t=${j('api', '_org_', 'name')}`] },
  'cohere-api-key': { yes: [`COHERE_API_KEY=${an(40)}`], no: [`cohere_model = "command-r-plus"`, `COHERE_API_KEY=${hex(40)}`] },
  'mistral-api-key': { yes: [`MISTRAL_API_KEY="${an(32)}"`], no: ['MISTRAL_MODEL="mistral-large-latest"'] },
  'replicate-api-token': { yes: [`REPLICATE_API_TOKEN=${f.replicate()}`], no: [`x = ${j('r', '8_', 'short')}`] },
  'groq-api-key': { yes: [`GROQ_API_KEY=${f.groq()}`], no: [`${j('gs', 'k_', 'x'.repeat(52))}`] },
  'azure-openai-key': { yes: [`AZURE_OPENAI_API_KEY=${hex(32)}`, `endpoint = "https://ml.openai.azure.com/"\nkey = "${an(84)}"`], no: ['AZURE_OPENAI_DEPLOYMENT=gpt-4o'] },
  'gcp-service-account-key': { yes: [f.gcpServiceAccount('proj-1')], no: [JSON.stringify({ type: j('service', '_account'), private_key: '<redacted>' })] },
  'google-api-key': { yes: [`GOOGLE_API_KEY=${f.googleApiKey()}`], no: [`k=${j('AI', 'za', 'short')}`] },
  'google-oauth-client-secret': { yes: [`client_secret: ${j('GOC', 'SPX-', f.mixed(28, URLSAFE))}`], no: [`s=${j('GOC', 'SPX-', 'abc')}`] },
  'wandb-api-key': { yes: [`wandb.login(key="${hex(40)}")`], no: ['wandb.login()', `wandb.init(project="run-${f.int(9)}")`] },
  'pinecone-api-key': { yes: [`PINECONE_API_KEY=${f.pinecone()}`], no: [`${j('pc', 'sk_', 'abc')}`] },
  'pinecone-legacy-key': { yes: [`pinecone.init(api_key="${f.uuid()}")`], no: [`request_id="${f.uuid()}"`] },
  'langsmith-api-key': { yes: [`LANGSMITH_API_KEY=${f.langsmith()}`], no: [`${j('lsv', '2_pt_', 'abc')}`] },
  'databricks-token': { yes: [`DATABRICKS_TOKEN=${f.databricks()}`], no: ['dapi_version = 2'] },
  'databricks-oauth-secret': { yes: [`secret=${j('do', 'se', hex(32))}`], no: ['dose = 12'] },
  'perplexity-api-key': { yes: [`k=${j('pp', 'lx-', an(48))}`], no: [`k=${j('pp', 'lx-', 'abc')}`] },
  'xai-api-key': { yes: [`XAI_API_KEY=${j('xa', 'i-', an(80))}`], no: [`${j('xa', 'i-', 'grok')}`] },
  'openrouter-api-key': { yes: [`k=${j('sk-', 'or-', 'v1-', hex(64))}`], no: [`k=${j('sk-', 'or-', 'v1-', 'abc')}`] },
  'deepseek-api-key': { yes: [`DEEPSEEK_API_KEY=${j('sk-', hex(32))}`], no: [`OTHER_KEY=${j('sk-', hex(32))}`] },
  'together-api-key': { yes: [`TOGETHER_API_KEY=${hex(64)}`], no: [`checksum=${hex(64)}`] },
  'elevenlabs-api-key': { yes: [`ELEVENLABS_API_KEY=${j('sk', '_', hex(48))}`], no: ['elevenlabs_voice = "Rachel"'] },
  'assemblyai-api-key': { yes: [`ASSEMBLYAI_API_KEY=${hex(32)}`], no: ['assemblyai.settings.timeout = 30'] },
  'llamacloud-api-key': { yes: [`LLAMA_CLOUD_API_KEY=${j('ll', 'x-', an(48))}`], no: [`${j('ll', 'x-', 'abc')}`] },
  'stability-api-key': { yes: [`STABILITY_API_KEY=${j('sk-', an(48))}`], no: ['stability = 0.9'] },
  'fireworks-api-key': { yes: [`FIREWORKS_API_KEY=${j('f', 'w_', an(24))}`], no: ['fireworks_model = "llama-v3"'] },
  'aws-access-key-id': { yes: [`AWS_ACCESS_KEY_ID=${f.awsAccessKeyId()}`], no: [`id=${j('AKIA', 'IOSFODNN7', 'EXAMPLE')}`, `x=${j('AK', 'IA')}short`] },
  'aws-secret-access-key': { yes: [`aws_secret_access_key = ${f.awsSecretKey()}`], no: [`aws_secret_access_key = ${j('wJalrXUtnFEMI', '/K7MDENG/', 'bPxRfiCY', 'EXAMPLEKEY')}`, 'aws_secret_access_key = ${AWS_SECRET}'] },
  'aws-mws-auth-token': { yes: [`t=${j('amzn', '.mws.', f.uuid())}`], no: ['amzn.mws.token'] },
  'azure-storage-connection-string': { yes: [`conn=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${f.azureStorageKey()};`], no: ['AccountKey=<key>;'] },
  'azure-sas-token': { yes: [`url=https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&se=2025-01-01&${j('si', 'g=')}${f.mixed(43, B64)}%3D`], no: [`?${j('si', 'g=')}${f.mixed(43, B64)}`] },
  'azure-ad-client-secret': { yes: [`AZURE_CLIENT_SECRET=${j(f.chars(3), '8', 'Q', '~', f.mixed(34, `${ALNUM}_~.-`))}`], no: ['menu = "Q~quit"'] },
  'digitalocean-token': { yes: [`DO_TOKEN=${j('do', 'p_v1_', hex(64))}`], no: [`${j('do', 'p_v1_', 'abc')}`] },
  'heroku-api-key': { yes: [`HEROKU_API_KEY=${f.uuid()}`], no: [`BUILD_ID=${f.uuid()}`] },
  'alibaba-access-key-id': { yes: [`k=${j('LT', 'AI', an(20))}`], no: ['LTAI = 1'] },
  'cloudflare-api-token': { yes: [`CLOUDFLARE_API_TOKEN=${an(40)}`], no: [`CLOUDFLARE_ZONE_ID=${hex(32)}`] },
  'hashicorp-vault-token': { yes: [`VAULT_TOKEN=${j('hv', 's.', an(90))}`], no: [`${j('hv', 's.', 'abc')}`] },
  'terraform-cloud-token': { yes: [`token = "${j(an(14), '.atlas', 'v1.', an(67))}"`], no: ['atlasv1 = true'] },
  'docker-config-auth': { yes: [JSON.stringify({ auths: { 'r.io': { auth: dockerAuth } } })], no: [JSON.stringify({ auths: { 'r.io': { auth: Buffer.from('nocolonhere').toString('base64') } } })] },
  'dockerhub-token': { yes: [`DOCKER_TOKEN=${f.dockerhub()}`], no: [`${j('dck', 'r_pat_', 'x')}`] },
  'github-classic-token': { yes: [`GITHUB_TOKEN=${f.github('p')}`], no: [`GITHUB_TOKEN=${f.githubBadChecksum()}`, `t=${j('gh', 'p_', 'x'.repeat(36))}`] },
  'github-oauth-token': { yes: [`t=${f.github('o')}`], no: [`t=${j('gh', 'o_', an(36))}`] },
  'github-app-token': { yes: [`t=${f.github('s')}`, `t=${f.github('u')}`], no: [`t=${j('gh', 's_', an(36))}`] },
  'github-refresh-token': { yes: [`t=${f.github('r')}`], no: [`t=${j('gh', 'r_', an(36))}`] },
  'github-fine-grained-token': { yes: [`t=${f.githubFineGrained()}`], no: [`${j('github', '_pat_', 'abc')}`] },
  'gitlab-token': { yes: [`GITLAB_TOKEN=${f.gitlab()}`], no: [`${j('gl', 'pat-', 'xxxxxxxxxxxxxxxxxxxx')}`] },
  'gitlab-runner-registration-token': { yes: [`token=${j('GR13', '48941', f.mixed(20, URLSAFE))}`], no: ['GR1348941'] },
  'npm-token': { yes: [`//registry.npmjs.org/:_authToken=${f.npm()}`], no: [`t=${j('np', 'm_', an(36))}`] },
  'npmrc-auth-token': { yes: [`//npm.corp.io/:_authToken=${f.mixed(40, URLSAFE)}`], no: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}'] },
  'pypi-token': { yes: [`password = ${f.pypi()}`], no: [`${j('py', 'pi-', 'AgEIcHlwaS5vcmc')}`] },
  'atlassian-api-token': { yes: [`JIRA_TOKEN=${j('ATA', 'TT3', f.mixed(186, `${ALNUM}_=-`))}`], no: ['ATATT3 = 1'] },
  'sentry-auth-token': { yes: [`SENTRY_AUTH_TOKEN=${j('snt', 'rys_', f.mixed(120, B64))}`], no: [`${j('snt', 'rys_', 'abc')}`] },
  'linear-api-key': { yes: [`k=${j('lin', '_api_', an(40))}`], no: ['lin_api_version = 2'] },
  'postman-api-key': { yes: [`k=${j('PM', 'AK-', hex(24), '-', hex(34))}`], no: ['PMAK-abc'] },
  'grafana-service-account-token': { yes: [`t=${j('gl', 'sa_', an(32), '_', hex(8))}`], no: [`${j('gl', 'sa_', 'abc')}`] },
  'grafana-cloud-token': { yes: [`t=${j('gl', 'c_', f.mixed(120, B64))}`], no: [`${j('gl', 'c_', 'abc')}`] },
  'newrelic-api-key': { yes: [`k=${j('NR', 'AK-', f.chars(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'))}`], no: ['NRAK-123'] },
  'notion-token': { yes: [`NOTION_TOKEN=${j('nt', 'n_', f.chars(11, '0123456789'), an(35))}`], no: ['ntn_ = 1'] },
  'age-secret-key': { yes: [`${j('AGE-', 'SECRET-', 'KEY-1', f.chars(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'))}`], no: ['AGE-SECRET-KEY-1 is the prefix'] },
  'stripe-secret-key': { yes: [`STRIPE_KEY=${f.stripeLive()}`], no: [`${j('sk', '_live_', 'xxxxxxxxxxxxxxxxxxxxxxxx')}`] },
  'stripe-webhook-secret': { yes: [`STRIPE_WEBHOOK_SECRET=${j('wh', 'sec_', an(32))}`], no: [`${j('wh', 'sec_', '...')}`] },
  'twilio-api-key': { yes: [`TWILIO_API_KEY=${f.twilioApiKey()}`], no: [`OTHER=${f.twilioApiKey()}`] },
  'twilio-auth-token': { yes: [`TWILIO_AUTH_TOKEN=${hex(32)}`], no: ['TWILIO_AUTH_TOKEN=${TOKEN}'] },
  'sendgrid-api-key': { yes: [`SENDGRID_API_KEY=${f.sendgrid()}`], no: ['SG.x.y'] },
  'mailgun-api-key': { yes: [`MAILGUN_API_KEY=${j('ke', 'y-', hex(32))}`], no: [`other = ${j('ke', 'y-', hex(32))}`] },
  'mailchimp-api-key': { yes: [`MAILCHIMP_KEY=${hex(32)}-us21`], no: ['region = en-us1'] },
  'slack-token': { yes: [`SLACK_BOT_TOKEN=${f.slackBot()}`], no: [`${j('xo', 'xb-', 'not-a-real-token')}`] },
  'slack-app-token': { yes: [`t=${j('xa', 'pp-', '1-', f.chars(11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), '-', f.chars(13, '0123456789'), '-', hex(64))}`], no: ['xapp-1-abc'] },
  'slack-webhook-url': { yes: [`hook = "https://${j('hooks', '.slack', '.com/')}services/T${f.chars(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B${f.chars(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${an(24)}"`], no: [`docs: https://${j('hooks', '.slack', '.com/')}services/...`] },
  'discord-webhook-url': { yes: [`url=https://${j('discord', '.com/api', '/webhooks/')}${f.chars(18, '0123456789')}/${f.mixed(68, URLSAFE)}`], no: ['https://discord.com/api/webhooks/'] },
  'telegram-bot-token': { yes: [`TELEGRAM_BOT_TOKEN=${f.chars(10, '0123456789')}:${f.mixed(35, URLSAFE)}`], no: ['telegram_chat = 12345'] },
  'shopify-token': { yes: [`t=${j('shp', 'at_', hex(32))}`], no: [`${j('shp', 'at_', 'abc')}`] },
  'square-token': { yes: [`t=${j('sq0', 'atp-', f.mixed(22, URLSAFE))}`], no: ['sq0atp-'] },
  'braintree-access-token': { yes: [`t=${j('access_token', '$production$', f.chars(16, 'abcdefghijklmnopqrstuvwxyz0123456789'), '$', hex(32))}`], no: ['access_token$production$'] },
  'datadog-api-key': { yes: [`DD_API_KEY=${hex(32)}`], no: ['DD_SITE=datadoghq.eu'] },
  'private-key': { yes: [`${j('-----BEGIN ', 'RSA PRIVATE', ' KEY-----')}\n${pemBody()}\n${j('-----END ', 'RSA PRIVATE', ' KEY-----')}`], no: [`${j('-----BEGIN ', 'RSA PRIVATE', ' KEY-----')}\nMIIE...\n${j('-----END ', 'RSA PRIVATE', ' KEY-----')}`] },
  'openssh-private-key': { yes: [openssh], no: [`${j('-----BEGIN ', 'OPENSSH PRIVATE', ' KEY-----')}\n...\n${j('-----END ', 'OPENSSH PRIVATE', ' KEY-----')}`] },
  'pgp-private-key': { yes: [`${j('-----BEGIN ', 'PGP PRIVATE', ' KEY BLOCK-----')}\n\n${pemBody()}\n${j('-----END ', 'PGP PRIVATE', ' KEY BLOCK-----')}`], no: ['-----BEGIN PGP PUBLIC KEY BLOCK-----'] },
  'putty-private-key': { yes: [`${j('PuTTY-User', '-Key-File-3')}: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 2\n${f.chars(64, B64)}\nPrivate-Lines: 1\n${f.chars(64, B64)}\nPrivate-MAC: ${hex(64)}\n`], no: ['PuTTY-User-Key-File-3: ssh-ed25519'] },
  jwt: { yes: [`Authorization: Bearer ${f.jwt()}`], no: [`x = "${j('ey', 'J', f.chars(30, ALNUM))}.${j('ey', 'J', f.chars(30))}.${f.chars(30)}"`] },
  'database-uri-password': { yes: [`DB=postgresql://app:${f.password()}@db:5432/x`, `m = "mongodb+srv://u:${f.password()}@c0.mongodb.net/db"`], no: ['DB=postgres://app:${DB_PASSWORD}@db/x', 'postgres://postgres:postgres@localhost/db'] },
  'jdbc-password': { yes: [`url=jdbc:mysql://db:3306/app?user=a&password=${f.password()}`], no: ['url=jdbc:mysql://db:3306/app?user=a&password=${PW}'] },
  'url-credentials': { yes: [`git remote add o https://bot:${f.password()}@git.corp.io/r.git`], no: ['https://user:password@host.example', 'http://localhost:8080/path'] },
  'generic-password': { yes: [`password = "${f.password()}"`, `DB_PASSWORD=${f.password()}`], no: ['password = getpass()', 'password = "changeme"', 'password_file = "/run/secrets/db"', 'password = "${DB_PASSWORD}"'] },
  'generic-secret': { yes: [`API_KEY = "${an(32)}"`, `client_secret: ${an(40)}`], no: ['max_tokens = 4096', `api_key = os.environ["API_KEY"]`, `token_id = "${hex(40)}"`, `secret = "${f.uuid()}"`, 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")'] },
  'http-basic-auth': { yes: [`Authorization: Basic ${Buffer.from(`svc:${f.password()}`).toString('base64')}`], no: [`Authorization: Basic ${Buffer.from('user:password').toString('base64')}`] },
  'bearer-token': { yes: [`curl -H "Authorization: Bearer ${f.mixed(40, `${ALNUM}._-`)}"`], no: ['headers = {"Authorization": f"Bearer {token}"}'] },
};

describe('secret rules', () => {
  it('ships at least 60 rules with unique ids, descriptors and lower-case keywords', () => {
    assert.ok(BUILTIN_SECRET_RULES.length >= 60, `${BUILTIN_SECRET_RULES.length} rules`);
    const ids = SECRET_RULE_DESCRIPTORS.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of BUILTIN_SECRET_RULES) {
      assert.ok(rule.keywords.length > 0, rule.id);
      for (const k of rule.keywords) assert.equal(k, k.toLowerCase(), `${rule.id} keyword ${k}`);
      assert.ok(ids.includes(`secrets/${rule.id}`));
    }
  });

  it('has a true and a false case for every rule', () => {
    const missing = BUILTIN_SECRET_RULES.map((r) => r.id).filter((id) => CASES[id] === undefined);
    assert.deepEqual(missing, []);
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${id}: finds the real format and ignores look-alikes`, () => {
      for (const text of c.yes) assert.ok(ruleIds(text, c.kind ?? 'config').includes(id), `${id} should match: ${text.slice(0, 60)}`);
      for (const text of c.no) assert.ok(!ruleIds(text, c.kind ?? 'config').includes(id), `${id} should not match: ${text.slice(0, 60)}`);
    });
  }

  it('keeps every pattern linear: bounded quantifiers, no quantified group holding a quantifier', () => {
    for (const rule of BUILTIN_SECRET_RULES) {
      const source = rule.pattern.source;
      // Strip escapes and character classes, which cannot hold quantifiers.
      const bare = source.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x');
      assert.ok(!/[*+]/.test(bare), `${rule.id}: unbounded quantifier in ${source}`);
      // A group (…) followed by a repeating quantifier must contain no quantifier itself.
      const stack: number[] = [];
      for (let i = 0; i < bare.length; i += 1) {
        if (bare[i] === '(') stack.push(i);
        else if (bare[i] === ')') {
          const open = stack.pop() as number;
          const inner = bare.slice(open + 1, i).replace(/^\?(?:<?[=!]|:|<[a-z]+>)/, '');
          const after = bare.slice(i + 1);
          const repeats = /^\{(\d+)(?:,(\d+))?\}/.exec(after);
          const repeating = repeats !== null && Number(repeats[2] ?? repeats[1]) > 1;
          if (repeating) assert.ok(!/[?{]/.test(inner.replace(/\(\?[=!][^)]*\)/g, '')), `${rule.id}: nested quantifier in ${source}`);
        }
      }
      assert.ok(rule.before + rule.after <= 24 * 1024, `${rule.id}: window too large`);
    }
  });

  it('never matches the same value twice across overlapping rules', () => {
    const key = f.github();
    const found = ruleIds(`token = "${key}"`, 'code');
    assert.deepEqual(found, ['github-classic-token']);
  });
});


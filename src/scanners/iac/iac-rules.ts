/**
 * The checks of `warden scan iac`: id, severity, the catalog controls each is evidence for, and a
 * remediation with a corrected snippet per format. A finding's severity can be lower than its
 * rule's (a NodePort instead of a LoadBalancer, a TensorBoard port instead of Ray's), never higher.
 */
import { WardenError } from '../../domain/index.js';
import type { RuleDescriptor, Severity } from '../../domain/index.js';

export type FixFormat = 'terraform' | 'cloudformation' | 'kubernetes' | 'compose' | 'dockerfile' | 'jupyter';

export interface IacRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly controls: readonly string[];
  readonly description: string;
  readonly advice: string;
  readonly fixes: Partial<Record<FixFormat, string>>;
}

const INFRA_CLOUD = 'WD-INFRA-02';
const DEV_ENV = 'WD-INFRA-04';
const COMPUTE = 'WD-INFRA-01';
const API = 'WD-INFRA-03';
const ENCRYPTION = 'WD-DATA-03';
const DATA_ACCESS = 'WD-DATA-02';
const AUDIT = 'WD-COMP-02';
const SECRETS = 'WD-INFRA-05';

const DECLARED_RULES: readonly IacRule[] = [
  {
    id: 'iac/storage-public-acl',
    title: 'Storage bucket or container is public through an ACL',
    severity: 'high',
    controls: [INFRA_CLOUD, DATA_ACCESS],
    description: 'An ACL or access type grants read (or write) to everyone: training data, datasets and model weights in it are downloadable by anyone who guesses the name.',
    advice: 'Make the bucket private and grant access to named roles only.',
    fixes: {
      terraform: 'resource "aws_s3_bucket_acl" "data" {\n  bucket = aws_s3_bucket.data.id\n  acl    = "private"\n}\n# GCS: predefined_acl = "private"; Azure: container_access_type = "private"',
      cloudformation: 'DataBucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    AccessControl: Private',
    },
  },
  {
    id: 'iac/storage-public-policy',
    title: 'Storage policy grants access to everyone',
    severity: 'high',
    controls: [INFRA_CLOUD, DATA_ACCESS],
    description: 'A bucket policy allows Principal "*" without a condition, or a GCS IAM binding names allUsers / allAuthenticatedUsers.',
    advice: 'Grant the policy to specific principals (roles, service accounts) or restrict it with a condition such as aws:SourceVpce.',
    fixes: {
      terraform: 'statement {\n  effect = "Allow"\n  principals {\n    type        = "AWS"\n    identifiers = [aws_iam_role.training.arn]\n  }\n  actions   = ["s3:GetObject"]\n  resources = ["${aws_s3_bucket.data.arn}/*"]\n}\n# GCS: member = "serviceAccount:trainer@PROJECT.iam.gserviceaccount.com"',
      cloudformation: 'PolicyDocument:\n  Statement:\n    - Effect: Allow\n      Principal:\n        AWS: !GetAtt TrainingRole.Arn\n      Action: s3:GetObject\n      Resource: !Sub "${DataBucket.Arn}/*"',
    },
  },
  {
    id: 'iac/storage-public-access-block',
    title: 'Public access block missing or disabled',
    severity: 'medium',
    controls: [INFRA_CLOUD, DATA_ACCESS],
    description: 'Without all four S3 public access block settings (or GCS public_access_prevention = "enforced", or Azure allow_nested_items_to_be_public = false) one later ACL or policy change makes the data public.',
    advice: 'Turn every public access block setting on for the bucket (or the whole account).',
    fixes: {
      terraform: 'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket                  = aws_s3_bucket.data.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n# GCS: public_access_prevention = "enforced"\n# Azure: allow_nested_items_to_be_public = false',
      cloudformation: 'PublicAccessBlockConfiguration:\n  BlockPublicAcls: true\n  BlockPublicPolicy: true\n  IgnorePublicAcls: true\n  RestrictPublicBuckets: true',
    },
  },
  {
    id: 'iac/storage-public-network',
    title: 'Storage account accepts connections from any network',
    severity: 'medium',
    controls: [INFRA_CLOUD, DATA_ACCESS],
    description: 'The Azure storage account has public network access enabled (the provider default) and no network rule denying by default.',
    advice: 'Disable public network access and reach the account through a private endpoint, or deny by default and allow named networks.',
    fixes: {
      terraform: 'resource "azurerm_storage_account" "data" {\n  # ...\n  public_network_access_enabled   = false\n  allow_nested_items_to_be_public = false\n  network_rules {\n    default_action = "Deny"\n  }\n}',
    },
  },
  {
    id: 'iac/encryption-at-rest-missing',
    title: 'Storage, volume or database not encrypted at rest',
    severity: 'high',
    controls: [ENCRYPTION, INFRA_CLOUD],
    description: 'The volume, file system, database or cache is created without encryption at rest (the provider default for these resources).',
    advice: 'Enable encryption at rest; it cannot be turned on later without re-creating the resource.',
    fixes: {
      terraform: 'resource "aws_ebs_volume" "scratch" {\n  # ...\n  encrypted  = true\n  kms_key_id = aws_kms_key.data.arn\n}\n# aws_db_instance / aws_rds_cluster: storage_encrypted = true; aws_efs_file_system: encrypted = true',
      cloudformation: 'Volume:\n  Type: AWS::EC2::Volume\n  Properties:\n    Encrypted: true\n    KmsKeyId: !Ref DataKey',
    },
  },
  {
    id: 'iac/customer-managed-key-missing',
    title: 'Encrypted with a provider-managed key where customer-managed keys are required',
    severity: 'medium',
    controls: [ENCRYPTION],
    description: 'The organisation policy requires customer-managed keys (organisation.policy.require_customer_managed_keys), but the resource uses the cloud provider\'s key.',
    advice: 'Encrypt with a key you manage (KMS / Cloud KMS / Key Vault) so you control rotation, access and deletion.',
    fixes: {
      terraform: 'resource "aws_s3_bucket_server_side_encryption_configuration" "data" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.data.arn\n    }\n  }\n}\n# GCS: encryption { default_kms_key_name = google_kms_crypto_key.data.id }',
      cloudformation: 'BucketEncryption:\n  ServerSideEncryptionConfiguration:\n    - ServerSideEncryptionByDefault:\n        SSEAlgorithm: aws:kms\n        KMSMasterKeyID: !Ref DataKey',
    },
  },
  {
    id: 'iac/sagemaker-direct-internet',
    title: 'SageMaker notebook or domain has direct internet access',
    severity: 'high',
    controls: [DEV_ENV, COMPUTE, INFRA_CLOUD],
    description: 'direct_internet_access is "Enabled" or omitted (the default is Enabled), or a SageMaker domain uses PublicInternetOnly (the default): the notebook can reach and be reached through the internet outside your VPC controls.',
    advice: 'Disable direct internet access and run the notebook in a private subnet with VPC endpoints (or a NAT you control).',
    fixes: {
      terraform: 'resource "aws_sagemaker_notebook_instance" "research" {\n  # ...\n  direct_internet_access = "Disabled"\n  subnet_id              = aws_subnet.private.id\n  security_groups        = [aws_security_group.notebook.id]\n}\n# aws_sagemaker_domain: app_network_access_type = "VpcOnly"',
      cloudformation: 'Notebook:\n  Type: AWS::SageMaker::NotebookInstance\n  Properties:\n    DirectInternetAccess: Disabled\n    SubnetId: !Ref PrivateSubnet\n    SecurityGroupIds: [!Ref NotebookSG]',
    },
  },
  {
    id: 'iac/sagemaker-root-access',
    title: 'SageMaker notebook gives users root',
    severity: 'medium',
    controls: [DEV_ENV, COMPUTE],
    description: 'root_access is "Enabled" or omitted (the default is Enabled): any notebook user can change the instance, install software and read other users\' files.',
    advice: 'Disable root access; install packages through lifecycle configurations.',
    fixes: {
      terraform: 'resource "aws_sagemaker_notebook_instance" "research" {\n  # ...\n  root_access = "Disabled"\n}',
      cloudformation: 'Properties:\n  RootAccess: Disabled',
    },
  },
  {
    id: 'iac/sagemaker-no-kms',
    title: 'SageMaker notebook storage not encrypted with your KMS key',
    severity: 'medium',
    controls: [ENCRYPTION],
    description: 'No kms_key_id: the notebook\'s ML storage volume is encrypted with an AWS-managed key you cannot restrict or revoke.',
    advice: 'Set a customer-managed KMS key for the notebook volume.',
    fixes: {
      terraform: 'resource "aws_sagemaker_notebook_instance" "research" {\n  # ...\n  kms_key_id = aws_kms_key.notebooks.arn\n}',
      cloudformation: 'Properties:\n  KmsKeyId: !Ref NotebookKey',
    },
  },
  {
    id: 'iac/sagemaker-no-vpc',
    title: 'SageMaker notebook not placed in your VPC',
    severity: 'medium',
    controls: [COMPUTE, INFRA_CLOUD],
    description: 'No subnet_id: the notebook runs in a SageMaker-managed network outside your security groups, flow logs and endpoints.',
    advice: 'Attach the notebook to a private subnet and a security group you control.',
    fixes: {
      terraform: 'resource "aws_sagemaker_notebook_instance" "research" {\n  # ...\n  subnet_id       = aws_subnet.private.id\n  security_groups = [aws_security_group.notebook.id]\n}',
      cloudformation: 'Properties:\n  SubnetId: !Ref PrivateSubnet\n  SecurityGroupIds: [!Ref NotebookSG]',
    },
  },
  {
    id: 'iac/vertex-workbench-public-ip',
    title: 'Vertex AI Workbench instance has a public IP',
    severity: 'high',
    controls: [DEV_ENV, COMPUTE, INFRA_CLOUD],
    description: 'no_public_ip / disable_public_ip is false or omitted (the default): the notebook VM gets an external address.',
    advice: 'Disable the public IP and reach the notebook through the Workbench proxy, IAP or a VPN.',
    fixes: {
      terraform: 'resource "google_workbench_instance" "research" {\n  # ...\n  gce_setup {\n    disable_public_ip = true\n  }\n}\n# google_notebooks_instance: no_public_ip = true',
    },
  },
  {
    id: 'iac/azureml-public-network',
    title: 'Azure ML workspace or compute reachable from the public internet',
    severity: 'high',
    controls: [DEV_ENV, INFRA_CLOUD],
    description: 'public_network_access_enabled (workspace) or node_public_ip_enabled (compute) is true or omitted (the default is true).',
    advice: 'Disable public network access and use private endpoints; create compute without public IPs.',
    fixes: {
      terraform: 'resource "azurerm_machine_learning_workspace" "ml" {\n  # ...\n  public_network_access_enabled = false\n}\nresource "azurerm_machine_learning_compute_instance" "dev" {\n  # ...\n  node_public_ip_enabled = false\n  subnet_resource_id     = azurerm_subnet.private.id\n}',
    },
  },
  {
    id: 'iac/ingress-open-ai-port',
    title: 'Firewall rule opens an AI service port to the internet',
    severity: 'critical',
    controls: [INFRA_CLOUD, API, DEV_ENV],
    description: 'A security group, firewall or NSG rule allows 0.0.0.0/0 or ::/0 to Jupyter (8888), Ray (8265, 10001, 6379), MLflow (5000), TensorBoard (6006), Gradio (7860), Streamlit (8501), Ollama (11434), vLLM/Triton (8000-8002) or TorchServe (8080/8081), directly, through a port range or through "all traffic". Most of these have no authentication by default.',
    advice: 'Allow only your VPN or office ranges, or put the service behind an authenticating proxy; never the whole internet.',
    fixes: {
      terraform: 'ingress {\n  description = "Jupyter from the VPN only"\n  from_port   = 8888\n  to_port     = 8888\n  protocol    = "tcp"\n  cidr_blocks = [var.vpn_cidr]\n}',
      cloudformation: 'SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 8888\n    ToPort: 8888\n    CidrIp: !Ref VpnCidr',
    },
  },
  {
    id: 'iac/ingress-open-admin-port',
    title: 'Firewall rule opens SSH or RDP to the internet',
    severity: 'high',
    controls: [INFRA_CLOUD, COMPUTE],
    description: 'A rule allows 0.0.0.0/0 or ::/0 to SSH (22) or RDP (3389), directly, through a range or through "all traffic".',
    advice: 'Use a bastion, SSM Session Manager or IAP, or restrict the source to known ranges.',
    fixes: {
      terraform: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = [var.bastion_cidr]\n}',
      cloudformation: 'SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 22\n    ToPort: 22\n    CidrIp: !Ref BastionCidr',
    },
  },
  {
    id: 'iac/jupyter-no-auth',
    title: 'Jupyter started without a token or password',
    severity: 'critical',
    controls: [DEV_ENV],
    description: 'The token is set to an empty string and no password is set: anyone who reaches the port gets a shell as the notebook user.',
    advice: 'Keep token authentication (the default) or put the server behind SSO; pass a random token from a secret at run time.',
    fixes: {
      dockerfile: 'CMD ["jupyter", "lab", "--ip=127.0.0.1", "--no-browser"]\n# token: docker run -e JUPYTER_TOKEN="$(openssl rand -hex 32)" ...',
      kubernetes: 'args: ["start-notebook.py"]\nenv:\n  - name: JUPYTER_TOKEN\n    valueFrom:\n      secretKeyRef: {name: notebook-token, key: token}',
      compose: 'command: ["start-notebook.py"]\nenvironment:\n  JUPYTER_TOKEN: ${JUPYTER_TOKEN:?set a token}',
      jupyter: '# jupyter_server_config.py: leave the token unset (random) or read it from the environment\nimport os\nc.IdentityProvider.token = os.environ["JUPYTER_TOKEN"]',
      terraform: 'user_data = <<-EOF\n  #!/bin/bash\n  export JUPYTER_TOKEN="$(aws ssm get-parameter --with-decryption --name /notebooks/token --query Parameter.Value --output text)"\n  sudo -u lab -E jupyter lab --ip=127.0.0.1 &\nEOF',
    },
  },
  {
    id: 'iac/jupyter-listen-all',
    title: 'Jupyter listens on all interfaces',
    severity: 'medium',
    controls: [DEV_ENV],
    description: '--ip=0.0.0.0 (or *) makes the server reachable from every network the host is on.',
    advice: 'Bind to 127.0.0.1 and reach it through SSH port forwarding or an authenticating proxy; inside a container, publish the port on 127.0.0.1 only.',
    fixes: {
      dockerfile: 'CMD ["jupyter", "lab", "--ip=127.0.0.1"]',
      jupyter: 'c.ServerApp.ip = "127.0.0.1"',
      compose: 'ports:\n  - "127.0.0.1:8888:8888"',
      kubernetes: '# keep the Service ClusterIP and reach it with kubectl port-forward or an SSO proxy',
    },
  },
  {
    id: 'iac/jupyter-allow-root',
    title: 'Jupyter allowed to run as root',
    severity: 'medium',
    controls: [DEV_ENV, COMPUTE],
    description: '--allow-root runs every notebook kernel as root: a notebook compromise owns the container or host.',
    advice: 'Run the server as an unprivileged user (the Jupyter Docker Stacks use jovyan, uid 1000).',
    fixes: {
      dockerfile: 'USER 1000\nCMD ["jupyter", "lab"]',
      jupyter: 'c.ServerApp.allow_root = False',
      kubernetes: 'securityContext:\n  runAsNonRoot: true\n  runAsUser: 1000',
    },
  },
  {
    id: 'iac/jupyter-allow-origin-any',
    title: 'Jupyter accepts cross-origin requests from any site',
    severity: 'high',
    controls: [DEV_ENV, API],
    description: 'allow_origin = "*" lets any web page the user visits drive the notebook API (and its kernels) from the browser.',
    advice: 'Leave allow_origin unset, or name the exact origins that embed the notebook.',
    fixes: {
      jupyter: 'c.ServerApp.allow_origin = "https://notebooks.example.org"',
      dockerfile: 'CMD ["jupyter", "lab"]  # no --ServerApp.allow_origin',
    },
  },
  {
    id: 'iac/k8s-exposed-ai-service',
    title: 'Kubernetes Service exposes a notebook or AI dashboard outside the cluster',
    severity: 'high',
    controls: [DEV_ENV, API, INFRA_CLOUD],
    description: 'A Service of type LoadBalancer (internet-facing unless annotated internal) or NodePort selects a Jupyter, Ray, MLflow, TensorBoard, Gradio, Streamlit, Ollama, vLLM, Triton or TorchServe workload.',
    advice: 'Use a ClusterIP Service behind an ingress with SSO (e.g. oauth2-proxy), or an internal load balancer limited to your networks.',
    fixes: {
      kubernetes: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: notebook\nspec:\n  type: ClusterIP\n  selector: {app: notebook}\n  ports: [{port: 8888, targetPort: 8888}]',
    },
  },
  {
    id: 'iac/container-privileged',
    title: 'Container runs privileged',
    severity: 'high',
    controls: [COMPUTE],
    description: 'privileged: true gives the container every capability and the host\'s devices: a compromise of the workload is a compromise of the node.',
    advice: 'Remove privileged; GPU workloads need the device plugin, not privileged mode.',
    fixes: {
      kubernetes: 'securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities: {drop: ["ALL"]}',
      compose: 'privileged: false\ncap_drop: ["ALL"]',
    },
  },
  {
    id: 'iac/container-runs-as-root',
    title: 'Container runs as root',
    severity: 'medium',
    controls: [COMPUTE],
    description: 'runAsNonRoot is not true and no non-zero runAsUser is set (or runAsUser is 0, or the Dockerfile switches to USER root last).',
    advice: 'Run as a non-root user and make Kubernetes enforce it.',
    fixes: {
      kubernetes: 'securityContext:\n  runAsNonRoot: true\n  runAsUser: 1000',
      dockerfile: 'USER 1000',
      compose: 'user: "1000:1000"',
    },
  },
  {
    id: 'iac/container-host-namespace',
    title: 'Workload shares the host network, PID or IPC namespace',
    severity: 'high',
    controls: [COMPUTE],
    description: 'hostNetwork / hostPID / hostIPC (or compose network_mode: host) removes the isolation between the workload and the node; a notebook on the host network is reachable on every node address.',
    advice: 'Remove the host namespaces; expose ports through a Service instead.',
    fixes: {
      kubernetes: 'spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false',
      compose: '# remove network_mode: host and publish ports on 127.0.0.1',
    },
  },
  {
    id: 'iac/plaintext-secret-env',
    title: 'Credential written in plain text as an environment variable',
    severity: 'high',
    controls: [SECRETS, DATA_ACCESS],
    description: 'An environment variable whose name marks a secret (*PASSWORD*, *SECRET*, *TOKEN*, *KEY*) has a literal value in the manifest, compose file or Dockerfile, so it is in the repository and in every image layer.',
    advice: 'Load it from a secret store at run time; rotate the value that was committed.',
    fixes: {
      kubernetes: 'env:\n  - name: HF_TOKEN\n    valueFrom:\n      secretKeyRef: {name: hf, key: token}',
      compose: 'environment:\n  HF_TOKEN: ${HF_TOKEN}   # from the shell or an untracked .env\nsecrets: [hf_token]',
      dockerfile: '# no ENV/ARG with secrets; use BuildKit secrets:\nRUN --mount=type=secret,id=hf_token HF_TOKEN=$(cat /run/secrets/hf_token) ...',
    },
  },
  {
    id: 'iac/k8s-notebook-no-network-policy',
    title: 'Namespace running notebooks has no NetworkPolicy',
    severity: 'medium',
    controls: [DEV_ENV, INFRA_CLOUD],
    description: 'No NetworkPolicy in the scanned manifests covers the namespace: every pod in the cluster can reach the notebooks, and the notebooks can reach everything.',
    advice: 'Add a default-deny policy for the namespace and allow only the ingress controller or proxy.',
    fixes: {
      kubernetes: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: notebooks\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
    },
  },
  {
    id: 'iac/compose-ai-port-all-interfaces',
    title: 'Compose publishes an AI service port on all interfaces',
    severity: 'high',
    controls: [DEV_ENV, INFRA_CLOUD],
    description: '"8888:8888" or "0.0.0.0:8888:8888" publishes the port on every host address, and Docker\'s own iptables rules bypass host firewalls such as ufw.',
    advice: 'Publish on 127.0.0.1 and reach the service through SSH forwarding or an authenticating reverse proxy.',
    fixes: {
      compose: 'ports:\n  - "127.0.0.1:8888:8888"',
    },
  },
  {
    id: 'iac/audit-trail-missing',
    title: 'No cloud audit trail defined where audit logging is required',
    severity: 'medium',
    controls: [AUDIT],
    description: 'The organisation policy requires audit logging (organisation.policy.require_audit_logging), but the scanned code defines no CloudTrail trail (or it is disabled), no GCP audit config, or no Azure diagnostic setting.',
    advice: 'Define the audit trail in the same code as the infrastructure, logging to a bucket the audited people cannot change.',
    fixes: {
      terraform: 'resource "aws_cloudtrail" "org" {\n  name                          = "org-trail"\n  s3_bucket_name                = aws_s3_bucket.audit.id\n  is_multi_region_trail         = true\n  enable_log_file_validation    = true\n  enable_logging                = true\n}',
      cloudformation: 'Trail:\n  Type: AWS::CloudTrail::Trail\n  Properties:\n    IsLogging: true\n    IsMultiRegionTrail: true\n    EnableLogFileValidation: true\n    S3BucketName: !Ref AuditBucket',
    },
  },
  {
    id: 'iac/storage-access-logging-missing',
    title: 'Bucket has no access logging where audit logging is required',
    severity: 'medium',
    controls: [AUDIT],
    description: 'The organisation policy requires audit logging, but the bucket records no server access log, so reads of client data leave no trace.',
    advice: 'Turn on access logging to a separate log bucket.',
    fixes: {
      terraform: 'resource "aws_s3_bucket_logging" "data" {\n  bucket        = aws_s3_bucket.data.id\n  target_bucket = aws_s3_bucket.access_logs.id\n  target_prefix = "data/"\n}\n# GCS: logging { log_bucket = google_storage_bucket.logs.name }',
      cloudformation: 'LoggingConfiguration:\n  DestinationBucketName: !Ref AccessLogBucket\n  LogFilePrefix: data/',
    },
  },
];

/**
 * Every IaC finding is also evidence for Cloud configuration (WD-INFRA-02), the control that
 * judges a repository's infrastructure code as a whole ("fix every warden scan iac finding"); the
 * rule's own controls judge the assets the code defines (linked by bucket name or warden-asset tag).
 */
const RULE_LIST: readonly IacRule[] = DECLARED_RULES.map((rule) =>
  rule.controls.includes(INFRA_CLOUD) ? rule : { ...rule, controls: [INFRA_CLOUD, ...rule.controls] },
);

export const IAC_RULES: ReadonlyMap<string, IacRule> = new Map(RULE_LIST.map((rule) => [rule.id, rule]));

export type IacRuleId = (typeof RULE_LIST)[number]['id'];

export function ruleById(id: string): IacRule {
  const rule = IAC_RULES.get(id);
  if (rule === undefined) throw new WardenError('INTERNAL', `Unknown iac rule ${id}.`);
  return rule;
}

/** The remediation text for a finding: advice plus the snippet for its format (or the first one). */
export function remediationFor(rule: IacRule, format: FixFormat | undefined): string {
  const snippet = (format !== undefined ? rule.fixes[format] : undefined) ?? Object.values(rule.fixes)[0];
  return snippet === undefined ? rule.advice : `${rule.advice}\n${snippet}`;
}

export const IAC_RULE_DESCRIPTORS: readonly RuleDescriptor[] = RULE_LIST.map((rule) => ({
  id: rule.id,
  title: rule.title,
  severity: rule.severity,
  description: rule.description,
  remediation: remediationFor(rule, undefined),
  controls: rule.controls,
}));

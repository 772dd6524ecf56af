# Northwind AI — research and training infrastructure (demo).
# This file is part of Warden's demo workspace. It carries deliberate misconfigurations that the
# assessment must report; each one is marked "PROBLEM". Do not use it as a template.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# --- Mercy Health raw patient extracts --------------------------------------------------------
# PROBLEM: no server-side encryption configuration with a customer-managed key and no public
# access block for a bucket that holds restricted patient records.
resource "aws_s3_bucket" "mercy_raw" {
  bucket = "nw-mercy-raw"
  tags   = { client = "mercy-health", classification = "restricted", "warden-asset" = "mercy-patient-records" }
}

# --- Ledgerline transactions: what good looks like --------------------------------------------
resource "aws_kms_key" "ledgerline" {
  description         = "Ledgerline data key"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "ledgerline" {
  bucket = "nw-ledgerline"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "ledgerline" {
  bucket = aws_s3_bucket.ledgerline.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.ledgerline.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "ledgerline" {
  bucket                  = aws_s3_bucket.ledgerline.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "ledgerline" {
  bucket        = aws_s3_bucket.ledgerline.id
  target_bucket = "nw-access-logs"
  target_prefix = "ledgerline/"
}

# --- Research environment -----------------------------------------------------------------------
# PROBLEM: direct_internet_access is omitted, and the provider's default is "Enabled"; no KMS key,
# no subnet, root access left at its default.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "nw-research"
  role_arn      = "arn:aws:iam::111122223333:role/nw-sagemaker-research"
  instance_type = "ml.g5.xlarge"
}

# The JupyterLab box at 203.0.113.10 (research-notebooks in warden.yaml).
resource "aws_security_group" "research_notebook" {
  name        = "nw-research-notebook"
  description = "Research JupyterLab"
  tags        = { "warden-asset" = "research-notebooks" }

  # PROBLEM: Jupyter open to the whole internet.
  ingress {
    description = "jupyter"
    from_port   = 8888
    to_port     = 8888
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # PROBLEM: SSH open to the whole internet.
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# The MLflow tracking server is reached over the VPN only: this rule is fine.
resource "aws_security_group" "mlflow" {
  name = "nw-mlflow"
  ingress {
    description = "mlflow from the VPN"
    from_port   = 5000
    to_port     = 5000
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

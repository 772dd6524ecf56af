"""Readmission feature pipeline (demo). Credentials come from the environment, as they should."""
import os

import boto3

S3 = boto3.client("s3")
WAREHOUSE_URL = os.environ["WAREHOUSE_URL"]  # injected by the scheduler from the secret manager
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "<YOUR_OPENAI_KEY>")


def build(day: str) -> None:
    source = f"s3://nw-mercy-raw/patients/{day}/"
    target = f"s3://nw-mercy-features/readmission/{day}/"
    print(f"building features {source} -> {target}")

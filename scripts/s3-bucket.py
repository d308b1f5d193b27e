"""Creates the media bucket named by S3_BUCKET_NAME (the production settings' S3_*
variables) as the site needs it: objects readable by anyone, at plain addresses, and a
CORS rule so browsers load video captions from the site's pages. Safe to run again.

    .venv/bin/python scripts/s3-bucket.py https://passerelle.example.org

docs/deploy.md shows the same policy and rule for a provider's console.
"""

import json
import os
import sys

import boto3


def public_read_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }


def captions_cors(site_origin):
    return {
        "CORSRules": [
            {
                "AllowedOrigins": [site_origin],
                "AllowedMethods": ["GET", "HEAD"],
                "AllowedHeaders": ["*"],
                "MaxAgeSeconds": 86400,
            }
        ]
    }


def prepare_bucket(s3, bucket, site_origin):
    """Create `bucket` if missing and give it the policy and the CORS rule (s3: a boto3
    client). tests/config/test_s3_storage.py sets up its buckets with it."""
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=captions_cors(site_origin))


def main(site_origin):
    bucket = os.environ["S3_BUCKET_NAME"]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("S3_REGION_NAME") or None,
    )
    prepare_bucket(s3, bucket, site_origin)
    sys.stdout.write(f"Bucket {bucket}: public read, captions readable from {site_origin}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

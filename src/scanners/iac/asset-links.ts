/**
 * What ties a cloud resource in infrastructure code to an asset of the workspace, so that the
 * assessment can judge the asset by its code: the physical storage name (an S3 or GCS bucket that
 * an asset's `location` names, `s3://nw-mercy-raw/…`), and an explicit `warden-asset` tag or label
 * (a convention for teams that want every resource tied to their inventory).
 *
 * Values come from files under scan and are attacker-controlled: they are only ever compared
 * with the workspace's own asset ids and locations, never used as paths or in messages unquoted.
 */
import type { CloudResource, ComposeService, K8sObject } from './iac-inventory.js';
import { field, isMap, itemsOf, str } from './iac-model.js';
import type { IacNode } from './iac-model.js';

/** The attribute holding a storage resource's physical name, by resource type. */
const STORAGE_NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'bucket',
  google_storage_bucket: 'name',
  azurerm_storage_account: 'name',
  'AWS::S3::Bucket': 'BucketName',
};

/** Tag or label keys read as "this resource is workspace asset X". */
export const ASSET_TAG_KEYS: readonly string[] = ['warden-asset', 'warden:asset', 'warden_asset'];

const MAX_LINK_LENGTH = 255;

function bounded(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 && value.length <= MAX_LINK_LENGTH ? value : undefined;
}

/** A bucket or storage account's physical name, when the code states it literally. */
export function storageNameOf(resource: CloudResource): string | undefined {
  const attribute = STORAGE_NAME_ATTRIBUTE[resource.type];
  return attribute === undefined ? undefined : bounded(str(field(resource.body, attribute)));
}

/** The `warden-asset` tag (AWS, Azure, CloudFormation) or label (GCP) of a resource. */
export function assetTagOf(resource: CloudResource): string | undefined {
  for (const container of ['tags', 'labels', 'Tags']) {
    const node = field(resource.body, container);
    if (isMap(node)) {
      for (const key of ASSET_TAG_KEYS) {
        const value = bounded(str(field(node, key)));
        if (value !== undefined) return value;
      }
    }
    // CloudFormation: Tags: [{ Key: warden-asset, Value: … }]
    for (const item of itemsOf(node)) {
      if (isMap(item) && ASSET_TAG_KEYS.includes(str(field(item, 'Key')) ?? '')) {
        const value = bounded(str(field(item, 'Value')));
        if (value !== undefined) return value;
      }
    }
  }
  return undefined;
}

/** A `warden-asset` entry of a label map, or of a compose label list (`- warden-asset=ID`). */
function tagIn(labels: IacNode | undefined): string | undefined {
  if (isMap(labels)) {
    for (const key of ASSET_TAG_KEYS) {
      const value = bounded(str(field(labels, key)));
      if (value !== undefined) return value;
    }
    return undefined;
  }
  for (const item of itemsOf(labels)) {
    const text = str(item);
    const eq = text?.indexOf('=') ?? -1;
    if (text !== undefined && eq > 0 && ASSET_TAG_KEYS.includes(text.slice(0, eq).trim())) {
      const value = bounded(text.slice(eq + 1).trim());
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** A compose service's `warden-asset` label (map or list form). */
export function composeAssetTag(service: ComposeService): string | undefined {
  return tagIn(field(service.body, 'labels'));
}

/** A Kubernetes object's `warden-asset` label or annotation (`metadata`). */
export function k8sAssetTag(object: K8sObject): string | undefined {
  const metadata = field(object.body, 'metadata');
  return tagIn(field(metadata, 'labels')) ?? tagIn(field(metadata, 'annotations'));
}

/** `{ assetTag }` when there is one, to spread into a report. */
export function withAssetTag(tag: string | undefined): { assetTag?: string } {
  return tag === undefined ? {} : { assetTag: tag };
}

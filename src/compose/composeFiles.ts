import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadYaml } from './loadYaml';
import { ComposeVariables, interpolate, refersTo } from './interpolate';

/** What the extension reads from the cluster's compose files itself (compose stays the judge of validity). */
export interface ComposeFilesModel {
  /** The last non-empty top-level `name:` of the files, as written (not interpolated). */
  topLevelName: string | undefined;
  /** Services in file order; a later file adds to a service of an earlier one, as compose merges them. */
  services: ComposeService[];
  /** Files that could not be read or parsed (compose itself reports why, with the line). */
  unreadable: string[];
}

export interface ComposeService {
  name: string;
  /** `image:` as written (the last file that sets it wins). */
  image: string | undefined;
  /** `ports:` entries as written, short or long syntax. */
  ports: unknown[];
}

export const API_VERSION_VARIABLE = 'WA_API_VERSION';

export function readComposeFiles(folder: string, files: readonly string[]): ComposeFilesModel {
  const model: ComposeFilesModel = { topLevelName: undefined, services: [], unreadable: [] };
  for (const file of files) {
    let doc: unknown;
    try {
      doc = loadYaml().parse(readFileSync(isAbsolute(file) ? file : join(folder, file), 'utf8'));
    } catch {
      model.unreadable.push(file);
      continue;
    }
    if (!isRecord(doc)) continue;
    if (typeof doc.name === 'string' && doc.name.trim() !== '') model.topLevelName = doc.name;
    if (!isRecord(doc.services)) continue;
    for (const [name, raw] of Object.entries(doc.services)) {
      if (!isRecord(raw)) continue;
      let service = model.services.find((s) => s.name === name);
      if (!service) model.services.push(service = { name, image: undefined, ports: [] });
      if (typeof raw.image === 'string') service.image = raw.image;
      if (Array.isArray(raw.ports)) service.ports.push(...raw.ports);
    }
  }
  return model;
}

/** Services whose image tag comes from WA_API_VERSION (Meta's waweb, masters and coreapps). */
export function versionedServices(model: ComposeFilesModel): ComposeService[] {
  return model.services.filter((s) => s.image !== undefined && refersTo(s.image, API_VERSION_VARIABLE));
}

/**
 * An image of a versioned service as a pattern: the repository and a tag template that yields the
 * version, e.g. `waba-emulator/coreapp` + /^v(.+)$/ for `…/coreapp:v${WA_API_VERSION}`.
 */
export interface VersionedImage { repository: string; tag: RegExp }

const MARK = '\u0000';

export function versionedImage(image: string, vars: ComposeVariables): VersionedImage | undefined {
  const resolved = interpolate(image, { ...vars, [API_VERSION_VARIABLE]: MARK });
  const colon = resolved.lastIndexOf(':');
  if (colon < 0 || resolved.lastIndexOf('/') > colon) return undefined;
  const [before, after] = resolved.slice(colon + 1).split(MARK);
  if (after === undefined) return undefined;
  return { repository: resolved.slice(0, colon), tag: new RegExp(`^${escape(before)}(.+)${escape(after)}$`) };
}

/** The version a container's image carries for that pattern, or undefined. */
export function versionOfImage(image: string, pattern: VersionedImage): string | undefined {
  const colon = image.lastIndexOf(':');
  if (colon < 0 || image.slice(0, colon) !== pattern.repository) return undefined;
  return pattern.tag.exec(image.slice(colon + 1))?.[1];
}

/** Host ports the services publish with a fixed number ("9090:443", "127.0.0.1:33060:3306", long syntax). */
export function publishedHostPorts(model: ComposeFilesModel, vars: ComposeVariables): Array<{ service: string; port: number }> {
  const found: Array<{ service: string; port: number }> = [];
  for (const service of model.services) {
    for (const entry of service.ports) {
      for (const port of hostPortsOf(entry, vars)) found.push({ service: service.name, port });
    }
  }
  return found;
}

function hostPortsOf(entry: unknown, vars: ComposeVariables): number[] {
  if (isRecord(entry)) return range(interpolate(String(entry.published ?? ''), vars));
  if (typeof entry !== 'string' && typeof entry !== 'number') return [];
  const spec = interpolate(String(entry), vars).replace(/\/(tcp|udp|sctp)$/, '');
  // [ip:]host:container — an IPv6 ip is bracketed; without a host part nothing fixed is published.
  const parts = spec.replace(/^\[[^\]]*\]:/, 'ip:').split(':');
  return parts.length >= 2 ? range(parts[parts.length - 2]) : [];
}

function range(text: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return [];
  const from = Number(m[1]), to = Number(m[2] ?? m[1]);
  return to >= from && to - from < 1000 ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

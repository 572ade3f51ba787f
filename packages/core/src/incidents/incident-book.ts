import type { RequestRelation } from '../request/entries.ts';
import { emptyMap, emptyPositionalMap, mapGet, type PersistentMap } from '../request/persistent-map.ts';
import type { UnixSeconds } from '../time.ts';
import type { IncidentSector } from './sectors.ts';

/**
 * The incidents registered in the log, and the links of requests to them and to each other
 * (issue 17, "Incidents, public"). Every field is public. The indexes are kept as entries
 * apply, so that an incident's or a group's requests are read from them rather than found
 * by walking every request (issue 14 makes the public views incremental): a page of an
 * incident's requests costs its own length.
 */
export interface IncidentRecord {
  readonly id: string;
  /** Order of registration, for stable listings. */
  readonly seq: number;
  readonly name: string;
  /** The day the incident began, as publicly reported (YYYY-MM-DD). */
  readonly date: string;
  readonly sector: IncidentSector;
  readonly description: string;
  /** The criminal group as publicly named, if any. */
  readonly group?: string | undefined;
  readonly registeredBy: string;
  readonly registeredAt: { readonly index: number; readonly time: UnixSeconds };
  /** How many requests name it: its requests are `requestOfIncident(book, id, 0 … requestCount - 1)`. */
  readonly requestCount: number;
}

/** A criminal group named by one or more incidents. Groups are one when their names are, ignoring case. */
export interface GroupRecord {
  /** The name in lower case: what makes two incidents' groups the same. */
  readonly key: string;
  /** The name as the first incident naming it spelled it. */
  readonly name: string;
  readonly seq: number;
  /** Its incidents, in order of registration (a group has few). */
  readonly incidents: readonly string[];
}

export interface RequestLink {
  readonly request: string;
  readonly relation: RequestRelation;
}

/** A request's public links: what its filing named, and the later filings that named it. */
export interface RequestLinks {
  readonly incidents: readonly string[];
  readonly related: readonly RequestLink[];
  readonly relatedBy: readonly RequestLink[];
}

export interface IncidentBook {
  readonly byId: PersistentMap<IncidentRecord>;
  /** Incident ids by registration order (`seq` as a decimal key). */
  readonly ids: PersistentMap<string>;
  /** Request ids by incident and position (`memberKey`), in filing order. */
  readonly members: PersistentMap<string>;
  readonly groups: PersistentMap<GroupRecord>;
  /** Group keys by order of first naming. */
  readonly groupIds: PersistentMap<string>;
  /** Only requests with a link have an entry. */
  readonly links: PersistentMap<RequestLinks>;
}

export const NO_LINKS: RequestLinks = Object.freeze({ incidents: [], related: [], relatedBy: [] });

export function emptyIncidentBook(): IncidentBook {
  return { byId: emptyMap(), ids: emptyPositionalMap(), members: emptyMap(), groups: emptyMap(), groupIds: emptyMap(), links: emptyMap() };
}

export function memberKey(incident: string, position: number): string {
  return `${incident}\n${position}`;
}

export function groupKey(name: string): string {
  return name.toLowerCase();
}

export function getIncident(book: IncidentBook, id: string): IncidentRecord | undefined {
  return mapGet(book.byId, id);
}

/** The incident registered `position`-th (0-based). */
export function incidentAt(book: IncidentBook, position: number): IncidentRecord | undefined {
  const id = mapGet(book.ids, String(position));
  return id === undefined ? undefined : mapGet(book.byId, id);
}

/** The id of the `position`-th request (0-based, in filing order) that names `incident`. */
export function requestOfIncident(book: IncidentBook, incident: string, position: number): string | undefined {
  return mapGet(book.members, memberKey(incident, position));
}

/** Every request naming `incident`, in filing order: the cost is the incident's own requests. */
export function incidentRequestIds(book: IncidentBook, incident: string): string[] {
  const count = getIncident(book, incident)?.requestCount ?? 0;
  const out: string[] = [];
  for (let position = 0; position < count; position++) {
    const id = requestOfIncident(book, incident, position);
    if (id !== undefined) out.push(id);
  }
  return out;
}

export function getGroup(book: IncidentBook, name: string): GroupRecord | undefined {
  return mapGet(book.groups, groupKey(name));
}

export function groupAt(book: IncidentBook, position: number): GroupRecord | undefined {
  const key = mapGet(book.groupIds, String(position));
  return key === undefined ? undefined : mapGet(book.groups, key);
}

/**
 * Every request naming one of the group's incidents, each once (a request may name two
 * incidents of one group), in the order of its incidents and then of filing.
 */
export function groupRequestIds(book: IncidentBook, group: GroupRecord): string[] {
  const seen = new Set<string>();
  for (const incident of group.incidents) for (const id of incidentRequestIds(book, incident)) seen.add(id);
  return [...seen];
}

export function linksOf(book: IncidentBook, request: string): RequestLinks {
  return mapGet(book.links, request) ?? NO_LINKS;
}

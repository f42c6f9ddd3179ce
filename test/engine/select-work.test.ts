/**
 * selectWork, table-driven: which objects a cycle works on, and which of them it reads by id first (read
 * before write, quirk readBeforeWrite), named after Entra's deprovisioning table and skip reasons.
 */
import { describe, expect, it } from 'vitest';
import type { DeprovisionCause, DesiredObject } from '../../src/engine/desired.js';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { linksToRead, selectWork, type ReadRules } from '../../src/engine/select-work.js';
import { StoredWatermarks } from '../../src/engine/stored-watermarks.js';
import type { Anchor, CycleKind, Escrow } from '../../src/model/records.js';

const source = (
  id: string,
  over: { provision?: boolean; cause?: DeprovisionCause | null; objectType?: 'User' | 'Group'; hash?: string } = {},
): DesiredObject =>
  ({
    id,
    objectType: over.objectType ?? 'User',
    displayName: id,
    provision: over.provision ?? true,
    cause: over.cause ?? null,
    causeDetail: null,
    hash: over.hash ?? `h-${id}`,
  }) as DesiredObject;
const anchor = (sourceId: string, over: Partial<Anchor> = {}): Anchor => ({
  objectType: 'User',
  sourceId,
  targetId: `t-${sourceId}`,
  displayName: sourceId,
  status: 'active',
  exported: {},
  ...over,
});

const rules = (
  over: { readBeforeWrite?: boolean; skipOutOfScopeDeletions?: boolean; userActions?: string[]; groupActions?: string[] } = {},
): ReadRules =>
  ({
    readBeforeWrite: over.readBeforeWrite ?? true,
    job: {
      job: { settings: { skipOutOfScopeDeletions: over.skipOutOfScopeDeletions ?? false } },
      users: { actions: new Set(over.userActions ?? ['create', 'update', 'delete']) },
      groups: { actions: new Set(over.groupActions ?? ['create', 'update', 'delete']) },
    },
  }) as unknown as ReadRules;

interface Case {
  name: string;
  kind: CycleKind;
  sources: DesiredObject[];
  anchors: Anchor[];
  rules?: ReadRules;
  /** The previous cycle's hashes. */
  watermarks?: Record<string, string>;
  expected: Record<string, 'match' | 'read' | 'none'>;
}

const CASES: Case[] = [
  {
    name: 'initial: an unlinked user to provision is matched; a linked one is read',
    kind: 'initial',
    sources: [source('new'), source('linked')],
    anchors: [anchor('linked')],
    expected: { new: 'match', linked: 'read' },
  },
  {
    name: 'initial: an unlinked, unassigned user is looked at without any request',
    kind: 'initial',
    sources: [source('u', { provision: false, cause: 'unassigned' })],
    anchors: [],
    expected: { u: 'none' },
  },
  {
    name: 'incremental: an unchanged object is not looked at (not read)',
    kind: 'incremental',
    sources: [source('same')],
    anchors: [anchor('same')],
    watermarks: { same: 'h-same' },
    expected: {},
  },
  {
    name: 'incremental: a changed linked user is read before it is written (Update)',
    kind: 'incremental',
    sources: [source('changed')],
    anchors: [anchor('changed')],
    watermarks: { changed: 'old' },
    expected: { changed: 'read' },
  },
  {
    name: 'incremental: a linked user unassigned, out of scope, disabled or soft-deleted is read before its disable',
    kind: 'incremental',
    sources: (['unassigned', 'out-of-scope', 'disabled', 'soft-deleted'] as const).map((c) => source(c, { provision: false, cause: c })),
    anchors: ['unassigned', 'out-of-scope', 'disabled', 'soft-deleted'].map((id) => anchor(id)),
    expected: { unassigned: 'read', 'out-of-scope': 'read', disabled: 'read', 'soft-deleted': 'read' },
  },
  {
    name: 'SkipOutOfScopeDeletions: unassigned and out-of-scope users are not read; disabled ones are',
    kind: 'incremental',
    rules: rules({ skipOutOfScopeDeletions: true }),
    sources: [source('unassigned', { provision: false, cause: 'unassigned' }), source('disabled', { provision: false, cause: 'disabled' })],
    anchors: [anchor('unassigned'), anchor('disabled')],
    expected: { unassigned: 'none', disabled: 'read' },
  },
  {
    name: 'hard-deleted in Entra: the DELETE is preceded by a read',
    kind: 'incremental',
    sources: [],
    anchors: [anchor('gone')],
    expected: { gone: 'read' },
  },
  {
    name: 'hard-deleted after a disable by unassignment (NotManaged): no read, no DELETE',
    kind: 'incremental',
    sources: [],
    anchors: [anchor('gone', { status: 'disabled-out-of-scope' })],
    expected: { gone: 'none' },
  },
  {
    name: 'Delete target object action off (DeleteActionDisabled): no read',
    kind: 'incremental',
    rules: rules({ userActions: ['create', 'update'], groupActions: ['create', 'update'] }),
    sources: [source('g', { objectType: 'Group', provision: false, cause: 'unassigned' })],
    anchors: [anchor('gone'), anchor('g', { objectType: 'Group' })],
    expected: { gone: 'none', g: 'none' },
  },
  {
    name: 'Update target object action off (UpdateActionDisabled): a changed linked user is not read',
    kind: 'incremental',
    rules: rules({ userActions: ['create', 'delete'] }),
    sources: [source('changed')],
    anchors: [anchor('changed')],
    expected: { changed: 'none' },
  },
  {
    name: 'a group unassigned from the app: read before its DELETE',
    kind: 'incremental',
    sources: [source('g', { objectType: 'Group', provision: false, cause: 'unassigned' })],
    anchors: [anchor('g', { objectType: 'Group' })],
    expected: { g: 'read' },
  },
  {
    name: 'readBeforeWrite off: incremental cycles plan linked objects from state alone; initial cycles still read',
    kind: 'incremental',
    rules: rules({ readBeforeWrite: false }),
    sources: [source('changed'), source('new')],
    anchors: [anchor('changed'), anchor('gone')],
    expected: { changed: 'none', new: 'match', gone: 'none' },
  },
  {
    name: 'readBeforeWrite off, initial cycle: linked objects are read',
    kind: 'initial',
    rules: rules({ readBeforeWrite: false }),
    sources: [source('linked')],
    anchors: [anchor('linked'), anchor('gone')],
    expected: { linked: 'read', gone: 'read' },
  },
];

describe('selectWork', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const anchors = new Map(c.anchors.map((a) => [a.sourceId, a]));
      // Compared with the sources as a cycle compares them (positions are their places).
      const placed = c.sources.map((d, position) => ({ ...d, position }));
      const work = selectWork(
        c.kind,
        c.sources,
        anchors,
        new StoredWatermarks(
          (visit) => Object.entries(c.watermarks ?? {}).forEach(([id, hash]) => visit(id, hash)),
          new DesiredIndex(placed),
        ),
        new Map(),
        new Set(['User', 'Group']),
        c.rules ?? rules(),
      );
      expect(Object.fromEntries(work.map((w) => [w.sourceId, w.observe]))).toEqual(c.expected);
    });
  }
});

describe('linksToRead', () => {
  const sources = [source('same'), source('changed'), source('escrowed'), source('unlinked')];
  const stored = new StoredWatermarks(
    (visit) => {
      visit('same', 'h-same');
      visit('changed', 'old');
      visit('escrowed', 'h-escrowed');
    },
    new DesiredIndex(sources.map((d, position) => ({ ...d, position }))),
  );
  const linked = new Map([
    ['same', 't1'],
    ['changed', 't2'],
    ['escrowed', 't3'],
    ['gone', 't4'],
  ]);
  const escrows = new Map([['escrowed', { sourceId: 'escrowed' } as Escrow]]);

  it('incremental: the links of changed and escrowed objects and of those gone from Entra, not of unchanged ones', () => {
    expect(linksToRead('incremental', sources, linked, stored, escrows, null)).toEqual(['changed', 'escrowed', 'gone']);
  });

  it('initial: every link', () => {
    expect(linksToRead('initial', sources, linked, stored, escrows, null)).toEqual(['same', 'changed', 'escrowed', 'gone']);
  });

  it('on demand: the links of the objects asked for', () => {
    expect(linksToRead('initial', sources, linked, stored, escrows, new Set(['same', 'unlinked']))).toEqual(['same']);
  });
});

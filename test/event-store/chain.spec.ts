import { canonicalText, GENESIS_HASH, LinkHasher, linkHash } from '../../src/event-store/chain';
import {
  CHAIN_CHECKPOINT_STREAM,
  CHAIN_KEY,
  chainLinkIn,
  checkpointOf,
  checkStreamEvent,
  headOf,
  headsDigest,
  isChainCheckpoint,
  LinkableEvent,
  linkEvents,
  StreamChainState,
  StreamLink,
} from '../../src/event-store/esdb/chain';
import {
  ClientResolvedEvent,
  registreStreamId,
  toEventData,
  toRecordedEvent,
} from '../../src/event-store/esdb/mapping';
import { metadataFor } from './events';

const STREAM = 'attendance-0670001A-s1';

const eventNumber = (n: number): LinkableEvent => ({
  id: `00000000-0000-5000-8000-00000000000${n}`,
  type: 'AbsenceRecorded',
  data: { studentId: 's1', minutes: n },
  metadata: metadataFor(`cmd-${n}`),
});

describe('the hash chain', () => {
  it('hashes a fixed canonical text: changing it is a new chain version', () => {
    const content = {
      position: 7n,
      streamId: 'school-0670001A',
      revision: 2,
      eventId: 'e-1',
      type: 'SchoolYearDefined',
      data: '{"a":"é"}',
      metadata: '{}',
    };

    expect(GENESIS_HASH).toBe('ed0c6e3edee970187c4cfdbdc8d1ecb2c1773f10e72ff9b0c8febe6c04ccd890');
    expect(canonicalText('ab', content)).toBe(
      'ab\n7\n2\n15\n3\n17\n9\n2\nschool-0670001Ae-1SchoolYearDefined{"a":"é"}{}',
    );
    expect(linkHash(GENESIS_HASH, content)).toBe(
      '517e1211bb3b87fb676118e29f3fbb28814d17923d8759b1707c8ffb30ef10c8',
    );
  });

  it('gives, hashing each text into one buffer, the link of the whole canonical text', () => {
    const hasher = new LinkHasher();
    const base = { position: 7n, streamId: 'school-0670001A', revision: 2, eventId: 'e-1', type: 'T' };
    const texts = [
      ['{"a":"é"}', '{}'],
      ['{"a":"😀 ok"}', '{"b":"\u00ff"}'],
      ['{"a":"x"}\ud83d', '\ude00{}'], // a pair split between data and metadata
      ['{"lone":"\udc00"}', '{"z":"' + 'long '.repeat(5_000) + '"}'],
    ];
    for (const [data, metadata] of texts) {
      const content = { ...base, data, metadata };
      expect(
        hasher.link(GENESIS_HASH, 7n, 2, content.streamId, content.eventId, content.type, data, metadata),
      ).toBe(linkHash(GENESIS_HASH, content));
      expect(hasher.link('ab', 7, 2, content.streamId, content.eventId, content.type, data, metadata)).toBe(
        linkHash('ab', content),
      );
    }
  });

  it('tells a text moved from data to metadata apart', () => {
    const base = { position: 1n, streamId: 's', revision: 0, eventId: 'e', type: 't' };
    expect(linkHash(GENESIS_HASH, { ...base, data: '{"a":1}', metadata: '{}' })).not.toBe(
      linkHash(GENESIS_HASH, { ...base, data: '{"a":1}{', metadata: '}' }),
    );
  });
});

describe('per-stream chains on EventStoreDB', () => {
  const events = [eventNumber(1), eventNumber(2), eventNumber(3)];
  const links = linkEvents(STREAM, 0, GENESIS_HASH, events);

  /** The server's copy of event i: its metadata as the adapter sends it, JSON round trip included. */
  const stored = (i: number, link: StreamLink | null = links[i], event = events[i]): ClientResolvedEvent => {
    const sent = toEventData(
      { type: event.type, data: event.data as object, metadata: metadataFor(`cmd-${i + 1}`) },
      event.id,
      'fp',
      link ?? undefined,
    );
    return {
      event: {
        streamId: STREAM,
        id: event.id,
        revision: BigInt(i),
        type: event.type,
        isJson: true,
        data: JSON.parse(JSON.stringify(sent.data)),
        metadata: JSON.parse(JSON.stringify(sent.metadata)),
        position: { commit: BigInt(100 + i), prepare: BigInt(100 + i) },
      },
    };
  };

  /** Walks stored events as verifyChains does; the first problem, or the final state. */
  const walk = (resolved: readonly ClientResolvedEvent[]) => {
    let state: StreamChainState | undefined;
    for (const one of resolved) {
      const event = toRecordedEvent(one, '');
      if (!event) throw new Error('not a Registre event');
      const check = checkStreamEvent(
        state,
        event.streamId,
        event.revision,
        event,
        chainLinkIn(one.event?.metadata),
      );
      if (!check.ok) return { revision: event.revision, problem: check.problem, message: check.message };
      state = check.state;
    }
    return state;
  };

  it('links each event to the one before it in its stream, from the genesis hash', () => {
    expect(links[0].prev).toBe(GENESIS_HASH);
    expect(links[1].prev).toBe(links[0].hash);
    expect(links[2].prev).toBe(links[1].hash);
    expect(linkEvents(STREAM, 1, links[0].hash, events.slice(1))).toEqual(links.slice(1));
  });

  it('carries the link in the server metadata, and reads it off again', () => {
    const one = stored(0);
    expect(chainLinkIn(one.event?.metadata)).toEqual(links[0]);
    expect(toRecordedEvent(one, '')?.metadata).toEqual(metadataFor('cmd-1'));
    expect(Object.keys(one.event?.metadata as object)).toContain(CHAIN_KEY);
  });

  it('finds a stream read back from the server intact', () => {
    expect(walk([stored(0), stored(1), stored(2)])).toEqual({
      revision: 2,
      hash: links[2].hash,
      chained: true,
    });
  });

  it('names an edited event, a missing revision, a broken link and an unlinked event', () => {
    const edited = stored(1, links[1], { ...events[1], data: { studentId: 's1', minutes: 99 } });
    expect(walk([stored(0), edited, stored(2)])).toEqual({
      revision: 1,
      problem: 'content-altered',
      message: `the content of stream ${STREAM}, revision 1 does not match its chain link`,
    });
    expect(walk([stored(0), stored(2)])).toMatchObject({ revision: 2, problem: 'missing-event' });
    expect(walk([stored(0), stored(1, { ...links[1], prev: links[2].hash })])).toMatchObject({
      revision: 1,
      problem: 'chain-altered',
    });
    expect(walk([stored(0), stored(1, null)])).toMatchObject({ revision: 1, problem: 'inserted' });
  });

  it('starts the chain over events written before chains existed, where the appender starts it too', () => {
    const legacy = [stored(0, null), stored(1, null)];
    const prev = headOf(
      STREAM,
      legacy.map((one, revision) => ({ revision, event: toRecordedEvent(one, '') as LinkableEvent })),
    );
    const [third] = linkEvents(STREAM, 2, prev, [events[2]]);

    expect(walk([...legacy, stored(2, third)])).toEqual({ revision: 2, hash: third.hash, chained: true });
  });

  it('digests the stream heads whatever their order, into a checkpoint', () => {
    const a: StreamChainState = { revision: 3, hash: links[0].hash, chained: true };
    const b: StreamChainState = { revision: 0, hash: links[1].hash, chained: true };
    const digest = headsDigest(
      new Map([
        ['a', a],
        ['b', b],
      ]),
    );

    expect(
      headsDigest(
        new Map([
          ['b', b],
          ['a', a],
        ]),
      ),
    ).toBe(digest);
    expect(
      headsDigest(
        new Map([
          ['a', a],
          ['b', { ...b, revision: 1 }],
        ]),
      ),
    ).not.toBe(digest);
    const checkpoint = checkpointOf(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      4,
      120n,
      '2026-12-07T08:00:00.000Z',
    );
    expect(checkpoint).toEqual({
      recordedAt: '2026-12-07T08:00:00.000Z',
      position: '120',
      events: 4,
      streams: 2,
      digest,
    });
    expect(isChainCheckpoint(JSON.parse(JSON.stringify(checkpoint)))).toBe(true);
    expect(isChainCheckpoint({ ...checkpoint, digest: 'x' })).toBe(false);
  });

  it('keeps the checkpoint stream out of the log', () => {
    expect(registreStreamId('', CHAIN_CHECKPOINT_STREAM)).toBeUndefined();
    expect(registreStreamId('lyon:', `lyon:${CHAIN_CHECKPOINT_STREAM}`)).toBeUndefined();
  });
});

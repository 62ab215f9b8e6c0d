import { FoldSnapshots } from '../../src/projections/as-of';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('the folds kept to be extended', () => {
  it('gives the latest fold at or before a position, of the same streams only', () => {
    const snapshots = new FoldSnapshots(1_000, 10);
    snapshots.offer('class-5B', 100n, undefined, () => bytes(10, 1));
    snapshots.offer('class-5B', 200n, 50, () => bytes(10, 2));
    snapshots.offer('class-5A', 150n, undefined, () => bytes(10, 3));
    expect(snapshots.nearest('class-5B', 99n)).toBeUndefined();
    expect(snapshots.nearest('class-5B', 150n)?.position).toBe(100n);
    expect(snapshots.nearest('class-5B', 200n)?.bytes[0]).toBe(2);
    expect(snapshots.nearest('class-5A', 1_000n)?.position).toBe(150n);
    expect(snapshots.nearest('class-4C', 1_000n)).toBeUndefined();
  });

  it('keeps a fold only when the nearest one is far enough behind, and never serializes it otherwise', () => {
    const snapshots = new FoldSnapshots(1_000, 10);
    let serialized = 0;
    const serialize = () => {
      serialized++;
      return bytes(10, 0);
    };
    snapshots.offer('k', 100n, undefined, serialize);
    snapshots.offer('k', 105n, 9, serialize);
    expect(serialized).toBe(1);
    expect(snapshots.nearest('k', 105n)?.position).toBe(100n);
    snapshots.offer('k', 110n, 10, serialize);
    expect(snapshots.nearest('k', 110n)?.position).toBe(110n);
  });

  it('drops the least recently used fold beyond its bound in bytes', () => {
    const snapshots = new FoldSnapshots(25, 1);
    snapshots.offer('a', 1n, undefined, () => bytes(10, 1));
    snapshots.offer('b', 1n, undefined, () => bytes(10, 2));
    snapshots.nearest('a', 5n); // a used after b
    snapshots.offer('c', 1n, undefined, () => bytes(10, 3));
    expect(snapshots.nearest('b', 5n)).toBeUndefined();
    expect(snapshots.nearest('a', 5n)?.bytes[0]).toBe(1);
    expect(snapshots.nearest('c', 5n)?.bytes[0]).toBe(3);
    snapshots.offer('huge', 1n, undefined, () => bytes(26, 4));
    expect(snapshots.nearest('huge', 5n)).toBeUndefined();
  });
});

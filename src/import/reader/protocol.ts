import type { StructureExport } from '../../domain/structure/import-file';
import type { DomainErrorKind } from '../../domain/shared/domain-error';
import type { ImportKind } from '../read-export';
import type { ImportLimits } from '../unpack';

/** What the reading thread receives: the file's bytes (transferred, not copied, when they can be). */
export interface ReadRequest {
  readonly kind: ImportKind;
  readonly bytes: Uint8Array;
  readonly limits: ImportLimits;
}

export type ReadAnswer =
  | { readonly ok: true; readonly file: StructureExport }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly details: Record<string, unknown>;
        readonly kind: DomainErrorKind;
      };
    };

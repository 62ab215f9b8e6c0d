import { isSocleComponent, SOCLE_COMPONENTS, SocleComponent } from '../assessment/positioning';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { checkCode, checkText, SchoolCmd, set, WithSchool } from './school-part';
import { Subjects } from './subjects';

/**
 * The school's catalogue of competency items (DOMAIN.md "Competencies"), on the school stream: each
 * item belongs to one subject and may be linked to one of the 8 socle components. Item ids are
 * unique in the school. An item is retired, never erased: the evaluations that name it keep it.
 */

export const MAX_COMPETENCY_ITEM_LABEL_LENGTH = 200;

export type CompetencyItem = {
  readonly subjectId: string;
  readonly itemId: string;
  readonly label: string;
  readonly socleComponent: SocleComponent | null;
};

export type CompetencyItemDefined = DomainEvent<'CompetencyItemDefined', WithSchool<CompetencyItem>>;
export type CompetencyItemRetired = DomainEvent<
  'CompetencyItemRetired',
  WithSchool<{ readonly itemId: string }>
>;
export type CompetencyItemEvent = CompetencyItemDefined | CompetencyItemRetired;

export const COMPETENCY_ITEM_EVENT_TYPES = [
  'CompetencyItemDefined',
  'CompetencyItemRetired',
] as const satisfies readonly CompetencyItemEvent['type'][];

export const isCompetencyItemEvent = eventTypeGuard<CompetencyItemEvent>(COMPETENCY_ITEM_EVENT_TYPES);

export type KnownCompetencyItem = CompetencyItem & { readonly retired: boolean };

export interface CompetencyItems {
  readonly competencyItems: ReadonlyMap<string, KnownCompetencyItem>;
}

export type DefineCompetencyItem = SchoolCmd<
  'DefineCompetencyItem',
  {
    readonly itemId: string;
    readonly subjectId: string;
    readonly label: string;
    /** Absent or null: the item is linked to no socle component. */
    readonly socleComponent?: SocleComponent | null;
  }
>;
export type RetireCompetencyItem = SchoolCmd<'RetireCompetencyItem', { readonly itemId: string }>;

export const evolveCompetencyItems = (part: CompetencyItems, event: CompetencyItemEvent): CompetencyItems => {
  switch (event.type) {
    case 'CompetencyItemDefined': {
      const { schoolId: _schoolId, ...item } = event.data;
      return { competencyItems: set(part.competencyItems, item.itemId, { ...item, retired: false }) };
    }
    case 'CompetencyItemRetired': {
      const known = part.competencyItems.get(event.data.itemId);
      return known
        ? { competencyItems: set(part.competencyItems, known.itemId, { ...known, retired: true }) }
        : part;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

const validItem = (data: DefineCompetencyItem['data'], state: Subjects): CompetencyItem => {
  const itemId = checkCode(data.itemId, 'itemId', 'competency item');
  if (!state.subjects.has(data.subjectId))
    throw notFound('STRUCTURE.SUBJECT_UNKNOWN', `no subject ${String(data.subjectId)} in this school`, {
      field: 'subjectId',
    });
  const label = checkText(typeof data.label === 'string' ? data.label : undefined, 'label');
  if (label === '' || label.length > MAX_COMPETENCY_ITEM_LABEL_LENGTH)
    throw invalid(
      'STRUCTURE.COMPETENCY_ITEM_LABEL_INVALID',
      `competency item ${itemId} needs a label of 1 to ${MAX_COMPETENCY_ITEM_LABEL_LENGTH} characters`,
      { field: 'label' },
    );
  const socleComponent = data.socleComponent ?? null;
  if (socleComponent !== null && !isSocleComponent(socleComponent))
    throw invalid(
      'STRUCTURE.SOCLE_COMPONENT_INVALID',
      `socleComponent must be one of ${SOCLE_COMPONENTS.join(', ')}, or none`,
      { field: 'socleComponent' },
    );
  return { subjectId: data.subjectId, itemId, label, socleComponent };
};

/** Defines an item, or changes its label or socle component; the same again records nothing. */
export const defineCompetencyItem = (
  data: DefineCompetencyItem['data'],
  state: CompetencyItems & Subjects,
): CompetencyItemEvent[] => {
  const item = validItem(data, state);
  const known = state.competencyItems.get(item.itemId);
  if (known?.retired)
    throw conflict(
      'STRUCTURE.COMPETENCY_ITEM_RETIRED',
      `competency item ${known.itemId} was retired; define the item under a new id`,
      { field: 'itemId', itemId: known.itemId },
    );
  if (known && known.subjectId !== item.subjectId)
    throw conflict(
      'STRUCTURE.COMPETENCY_ITEM_ID_TAKEN',
      `competency item ${known.itemId} belongs to subject ${known.subjectId}: an item id is unique in the school`,
      { field: 'itemId', itemId: known.itemId, subjectId: known.subjectId },
    );
  if (known && known.label === item.label && known.socleComponent === item.socleComponent) return [];
  return [{ type: 'CompetencyItemDefined', data: { schoolId: data.schoolId, ...item } }];
};

/** Retires an item: no new evaluation names it; retiring it again records nothing. */
export const retireCompetencyItem = (
  data: RetireCompetencyItem['data'],
  state: CompetencyItems,
): CompetencyItemEvent[] => {
  const known = state.competencyItems.get(data.itemId);
  if (!known)
    throw notFound(
      'STRUCTURE.COMPETENCY_ITEM_UNKNOWN',
      `no competency item ${String(data.itemId)} in this school`,
      {
        field: 'itemId',
        itemId: data.itemId,
      },
    );
  if (known.retired) return [];
  return [{ type: 'CompetencyItemRetired', data: { schoolId: data.schoolId, itemId: known.itemId } }];
};

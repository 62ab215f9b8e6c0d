import { assessmentRebuild, gradeBookRead, gradesEntry } from './assessment.bench';
import { councilView } from './council.bench';
import { asOfCouncil } from './as-of.bench';
import { lateJustificationRecompute, morningPeak } from './attendance.bench';
import { Scenario } from './harness';
import { siecleImport } from './import.bench';
import { mixedLoad, viewCost } from './read-side.bench';
import { reportCards } from './report-cards.bench';
import { batchedAppend, groupCommit, readSideRebuild } from './store.bench';
import { chainVerify } from './verify.bench';

/** Sizes can be shrunk for a quick look with REGISTRE_BENCH_SCALE=0.1. */
export const scenarios = (): Scenario[] => {
  const scale = Number(process.env.REGISTRE_BENCH_SCALE ?? 1);
  const n = (value: number) => Math.max(1, Math.round(value * scale));
  return [
    batchedAppend(n(20)),
    groupCommit(n(20_000), 50, n(2_000)),
    readSideRebuild(n(1_000)),
    chainVerify(n(1_000)),
    siecleImport(1_500),
    morningPeak(n(1_200)),
    lateJustificationRecompute(n(1_000)),
    mixedLoad(n(1_000)),
    viewCost(n(1_000), Math.max(50, n(200))),
    gradesEntry(n(30)),
    assessmentRebuild(n(1_000)),
    gradeBookRead(Math.max(50, n(200))),
    reportCards(35),
    councilView(Math.max(50, n(200))),
    asOfCouncil(n(1_000), Math.max(20, n(100))),
  ];
};

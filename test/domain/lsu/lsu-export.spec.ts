import { DomainError } from '../../../src/domain/shared';
import { lsuAverage, lsuProblems, lsuXml } from '../../../src/domain/lsu';
import { CLASS_5B_T1, validateLsu, withStudentSubject } from './fixtures';

describe('LSU export of a class and period', () => {
  it('finds nothing to fix in a complete class, and writes a file the national schema accepts', () => {
    // given 5B's first trimester: a student who moved, one exempted from PE
    // when
    const problems = lsuProblems(CLASS_5B_T1);
    const xml = lsuXml(CLASS_5B_T1);
    // then
    expect(problems).toEqual([]);
    expect(validateLsu(xml)).toEqual({ valid: true, output: '- validates\n' });
  });

  it('writes the same bytes for the same class and period', () => {
    expect(lsuXml(CLASS_5B_T1)).toBe(lsuXml(CLASS_5B_T1));
  });

  it('opens with the UTF-8 declaration and the root of schema version 10.0', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- LSU export: 0670001A, 5B, Trimestre 1, 2026-12-07 -->',
      '<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="10.0">',
    ]);
    expect(xml).toContain('<etablissement>0670001A</etablissement>');
    expect(xml).toContain('<responsable-etab id="RESP_1" libelle="Mme Claire Morel"/>');
    expect(xml).toContain('<periode id="P_1" millesime="2026" indice="1" nb-periodes="3"/>');
  });

  it('names each student by SIECLE id and class, each teacher by STS id, each subject by national code', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml).toContain(
      '<eleve id="EL_3" id-be="1234569" nom="N&apos;Diaye" prenom="Inès" code-division="5B"/>',
    );
    expect(xml).toContain(
      '<enseignant id="ENS_2" type="epp" id-sts="41002" civilite="MME" nom="Bernard" prenom="Sophie"/>',
    );
    expect(xml).toContain(
      '<discipline id="DI_2" code="061300" modalite-election="S" libelle="Mathématiques"/>',
    );
  });

  it('writes averages with a dot and two decimals, rounded halves up, with the class average and positioning', () => {
    const xml = lsuXml(CLASS_5B_T1);

    // 12.345 and 10.476 unrounded; Inès's 9.995 in French
    expect(xml).toContain(
      '<acquis discipline-ref="DI_1" enseignant-refs="ENS_1" element-programme-refs="EP_1 EP_2" moyenne-eleve="12.35" moyenne-structure="11.20" positionnement="3">',
    );
    expect(xml).toContain(
      '<acquis discipline-ref="DI_2" enseignant-refs="ENS_2" moyenne-eleve="13.00" moyenne-structure="10.48" positionnement="3">',
    );
    expect(xml).toContain(
      '<acquis discipline-ref="DI_1" enseignant-refs="ENS_1" moyenne-eleve="10.00" moyenne-structure="11.20" positionnement="2">',
    );
    expect([lsuAverage(19.999), lsuAverage(0), lsuAverage(7.005)]).toEqual(['20.00', '0.00', '7.01']);
  });

  it('writes an exempted student with the "dispensé" status and no average', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml).toContain(
      '<acquis discipline-ref="DI_4" enseignant-refs="ENS_2" moyenne-structure="14.25" statut-evaluation-eleve="3">\n' +
        '            <appreciation>Dispensée pour le trimestre (certificat médical).</appreciation>',
    );
  });

  it('writes one report for the student who moved, dated from her arrival, with both English teachers', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml.match(/eleve-ref="EL_2"/g)).toHaveLength(1);
    expect(xml).toContain(
      '<bilan-periodique eleve-ref="EL_2" periode-ref="P_1" date-conseil-classe="2026-12-03" date-scolarite="2026-10-05" responsable-etab-ref="RESP_1" prof-princ-refs="ENS_1">',
    );
    expect(xml).toContain(
      '<acquis discipline-ref="DI_3" enseignant-refs="ENS_1 ENS_3" moyenne-eleve="16.75"',
    );
  });

  it('escapes what XML reserves and keeps the lines of a synthesis', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml).toContain(
      '<appreciation>Résultats fragiles : revoir les fractions &amp; les proportions.</appreciation>',
    );
    expect(xml).toContain('<appreciation>Travail insuffisant &lt; attendu.</appreciation>');
    expect(xml).toContain(
      '<appreciation>Excellent niveau à l’oral &quot;comme à l’écrit&quot;.</appreciation>',
    );
    expect(xml).toContain(
      '<acquis-conseils>Un changement de classe bien vécu.\nÀ poursuivre.</acquis-conseils>',
    );
  });

  it('writes the school-life counts, the comment when there is one, and the socle where it was assessed', () => {
    const xml = lsuXml(CLASS_5B_T1);

    expect(xml).toContain(
      '<vie-scolaire nb-retards="0" nb-abs-justifiees="4" nb-abs-injustifiees="1" nb-heures-manquees="9"/>',
    );
    expect(xml).toContain(
      '<vie-scolaire nb-retards="4" nb-abs-justifiees="3" nb-abs-injustifiees="6">\n' +
        '          <commentaire>Retards répétés le lundi matin.</commentaire>',
    );
    expect(xml).toContain(
      '<socle>\n          <domaine code="CPD_FRA" positionnement="3"/>\n          <domaine code="CPD_SCI" positionnement="2"/>',
    );
    expect(xml.match(/<socle>/g)).toHaveLength(2);
  });

  it('refuses to export while something would be refused, listing what to fix', () => {
    // given Noé's maths appreciation not written
    const input = withStudentSubject('s04', 'MATHS', (entry) => ({ ...entry, appreciation: null }));
    // when
    const attempt = () => lsuXml(input);
    // then
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'LSU.NOT_EXPORTABLE',
        kind: 'invalid',
        details: {
          problems: [
            {
              code: 'LSU.APPRECIATION_MISSING',
              studentId: 's04',
              subjectId: 'MATHS',
              field: 'students[s04].subjects[MATHS].appreciation',
              message: 'Noé Lefèvre-Dupont: the appreciation in Mathématiques is missing',
            },
          ],
        },
      }),
    );
  });
});

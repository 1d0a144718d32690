import { csvLine, PUPILS_HEADER, type SyntheticSchool } from './synthetic.ts';

// A synthetic school written as the interchange formats schools receive: a Common Transfer File and a
// OneRoster 1.2 CSV export.

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The school's pupils as a Common Transfer File (CTF 24-style), with KS2, FSM and SEN history. */
function ks2Assessment(subject: string, method: string, result: string): string {
  return `<StageAssessment><Locale>ENG</Locale><Year>2021</Year><Subject>${subject}</Subject><Method>${method}</Method><Component></Component><ResultStatus>R</ResultStatus><ResultQualifier>SS</ResultQualifier><Result>${result}</Result><ResultDate>2021-07-01</ResultDate></StageAssessment>`;
}

export function* ctfDocument(school: SyntheticSchool, index: number): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n<Header><DocumentName>Common Transfer File</DocumentName><CTFversion>24.0</CTFversion><DateTime>2026-07-15T10:00:00</DateTime><DocumentQualifier>full</DocumentQualifier><SupplierID>Haven synthetic</SupplierID><SourceSchool><LEA>${800 + (index % 199)}</LEA><Estab>${4000 + (index % 6000)}</Estab><SchoolName>${xml(school.name)}</SchoolName><AcademicYear>2025</AcademicYear></SourceSchool></Header>\n<CTFpupilData>\n`;
  for (const pupil of school.pupils) {
    const value = (name: string) => pupil[PUPILS_HEADER.indexOf(name)] ?? '';
    const ks2 = ks2Assessment;
    const fsm =
      value('fsm') === 'Y'
        ? '<FSMhistory><FSMinstance><FSMstartDate>2022-09-01</FSMstartDate></FSMinstance></FSMhistory>'
        : value('fsm6') === 'Y'
          ? '<FSMhistory><FSMinstance><FSMstartDate>2021-09-01</FSMstartDate><FSMendDate>2023-03-31</FSMendDate></FSMinstance></FSMhistory>'
          : '';
    yield `<Pupil><UPN>${value('upn')}</UPN><Surname>${xml(value('surname'))}</Surname><Forename>${xml(value('forename'))}</Forename><DOB>${value('dob')}</DOB><Sex>${value('sex')}</Sex><BasicDetails><NCyearActual>${value('year_group')}</NCyearActual><Ethnicity>${value('ethnicity')}</Ethnicity><EnrolStatus>C</EnrolStatus></BasicDetails><LookedAfter><InCare>${value('looked_after') === 'Y' ? 'true' : 'false'}</InCare></LookedAfter>${fsm}<SENhistory><SEN><StartDate>2021-09-01</StartDate><SENprovision>${value('sen')}</SENprovision></SEN></SENhistory><StageAssessments><KeyStage><Stage>KS2</Stage>${ks2('REA', 'TT', value('ks2_reading_score'))}${ks2('MAT', 'TT', value('ks2_maths_score'))}${ks2('REA', 'TA', value('ks2_reading_ta'))}${ks2('MAT', 'TA', value('ks2_maths_ta'))}</KeyStage></StageAssessments></Pupil>\n`;
  }
  yield '</CTFpupilData>\n</CTfile>\n';
}

function column(pupil: readonly string[], name: string): string {
  return pupil[PUPILS_HEADER.indexOf(name)] ?? '';
}

function csvDocument(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => csvLine(row)).join('\n') + '\n';
}

/** The school's pupils, classes and enrolments as OneRoster 1.2 CSV files (name → content). */
export function oneRosterFiles(school: SyntheticSchool, index: number): Map<string, string> {
  const orgId = `org-${index + 1}`;
  const stamp = '2026-07-15T10:00:00.000Z';
  const manifest = [
    ['propertyName', 'value'],
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.2'],
    ...['orgs', 'users', 'roles', 'classes', 'courses', 'enrollments', 'demographics'].map((name) => [
      `file.${name}`,
      'bulk',
    ]),
    ['source.systemName', 'Haven synthetic'],
  ];
  const users = [
    [
      'sourcedId',
      'status',
      'dateLastModified',
      'enabledUser',
      'username',
      'userIds',
      'givenName',
      'familyName',
      'identifier',
      'grades',
      'primaryOrgSourcedId',
    ],
  ];
  const roles = [
    ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'],
  ];
  const demographics = [['sourcedId', 'status', 'dateLastModified', 'birthDate', 'sex']];
  const classes = new Map<string, string>();
  const enrollments = [
    [
      'sourcedId',
      'status',
      'dateLastModified',
      'classSourcedId',
      'schoolSourcedId',
      'userSourcedId',
      'role',
      'primary',
    ],
  ];
  school.pupils.forEach((pupil, n) => {
    const id = `user-${index + 1}-${n + 1}`;
    const upn = column(pupil, 'upn');
    users.push([
      id,
      'active',
      stamp,
      'true',
      `pupil${n + 1}`,
      `{UPN:${upn}}`,
      column(pupil, 'forename'),
      column(pupil, 'surname'),
      upn,
      column(pupil, 'year_group'),
      orgId,
    ]);
    roles.push([`role-${id}`, 'active', stamp, id, 'primary', 'student', orgId]);
    demographics.push([
      id,
      'active',
      stamp,
      column(pupil, 'dob'),
      column(pupil, 'sex') === 'F' ? 'female' : 'male',
    ]);
    const form = column(pupil, 'class');
    const classId = `class-${form}`;
    classes.set(classId, form);
    enrollments.push([`enrol-${id}`, 'active', stamp, classId, orgId, id, 'student', 'true']);
  });
  return new Map([
    ['manifest.csv', csvDocument(manifest)],
    [
      'orgs.csv',
      csvDocument([
        ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier'],
        [orgId, 'active', stamp, school.name, 'school', ''],
      ]),
    ],
    ['users.csv', csvDocument(users)],
    ['roles.csv', csvDocument(roles)],
    ['demographics.csv', csvDocument(demographics)],
    [
      'courses.csv',
      csvDocument([
        ['sourcedId', 'status', 'dateLastModified', 'title', 'orgSourcedId'],
        ['course-reg', 'active', stamp, 'Registration', orgId],
      ]),
    ],
    [
      'classes.csv',
      csvDocument([
        [
          'sourcedId',
          'status',
          'dateLastModified',
          'title',
          'courseSourcedId',
          'classCode',
          'classType',
          'schoolSourcedId',
        ],
        ...[...classes].map(([id, name]) => [
          id,
          'active',
          stamp,
          `Form ${name}`,
          'course-reg',
          name,
          'homeroom',
          orgId,
        ]),
      ]),
    ],
    ['enrollments.csv', csvDocument(enrollments)],
  ]);
}

/**
 * The sensitive list: subjects Crowdsell never collects, never shows as a category and refuses in
 * any config, with the Topics ids that fall under each. Topics v2 already leaves most art. 9
 * subjects out (there is no Health, Religion or Adult entry), so several topics list no id; the
 * ids listed here are the entries v2 (and v1, for ids v2 dropped) *does* have on these subjects.
 * Topics v1 ids are the row numbers of `taxonomy_v1.md` (which prints no ids); every id that v2
 * kept agrees with that numbering. See docs/taxonomy.md.
 */
import type { SensitiveTopic } from './taxonomy.ts';

/** /Finance and everything under it (v2), plus the v1 Finance ids v2 dropped. */
const financeIds = [
  149, 150, 151, 444, 445, 446, 447, 448, 152, 449, 157, 170, 171, 153, 154, 158, 159, 160, 161,
  162, 163, 164,
  // /Business & Industrial/Business Finance, …/Commercial Lending: often the member's own debts.
  403, 113,
  // v1 only: Grants, Scholarships & Financial Aid (+ Study Grants); Investing subtopics.
  155, 156, 165, 166, 167, 168, 169,
];

export const sensitiveTopicList: readonly SensitiveTopic[] = [
  {
    key: 'health',
    label: 'Health',
    reason: 'GDPR art. 9: data concerning health',
    // Health Insurance; Feminine Hygiene Products; Health Education & Medical Training;
    // Health & Medical Jobs.
    topicsIds: [160, 384, 539, 553],
  },
  {
    key: 'sexual-orientation',
    label: 'Sexual orientation and sex life',
    reason: 'GDPR art. 9',
    topicsIds: [],
  },
  {
    key: 'religion',
    label: 'Religion and beliefs',
    reason: 'GDPR art. 9: religious beliefs',
    topicsIds: [],
  },
  {
    key: 'politics',
    label: 'Politics',
    reason: 'GDPR art. 9: political opinions',
    // /Law & Government (government); /News/Politics; Charity & Philanthropy (causes and
    // advocacy, which also reveal religious and medical concerns).
    topicsIds: [239, 247, 562],
  },
  {
    key: 'ethnicity',
    label: 'Racial or ethnic origin',
    reason: 'GDPR art. 9',
    // /People & Society (identity groups and social issues live here); v1 Ancestry & Genealogy.
    topicsIds: [254, 256],
  },
  {
    key: 'trade-unions',
    label: 'Trade-union membership',
    reason: 'GDPR art. 9',
    // /Law & Government/Labor & Employment Law.
    topicsIds: [560],
  },
  {
    key: 'genetics-biometrics',
    label: 'Genetic and biometric data',
    reason: 'GDPR art. 9',
    // v1 only: /Science/Biological Sciences/Genetics; Ancestry & Genealogy (DNA tests).
    topicsIds: [282, 256],
  },
  {
    key: 'adult',
    label: 'Adult content',
    reason: 'sex life (GDPR art. 9) and our policy',
    topicsIds: [],
  },
  { key: 'gambling', label: 'Gambling', reason: 'vulnerability; our policy', topicsIds: [] },
  {
    key: 'finance-debt',
    label: 'Personal finance and debt',
    reason: 'financial distress; our policy',
    topicsIds: financeIds,
  },
  {
    key: 'dating',
    label: 'Dating',
    reason: 'sex life (GDPR art. 9)',
    // v1 only: Dating & Personals; Family & Relationships; Marriage.
    topicsIds: [251, 255, 257],
  },
  {
    key: 'child-directed',
    label: 'Child-directed content',
    reason: 'children’s data; our policy',
    // Family Films; TV Family-Oriented Shows; Children's Literature; Early Childhood Education;
    // Homeschooling; Parenting (+ Adoption, Babies & Toddlers, Child Care); Children's Clothing;
    // Family-Oriented Games & Activities; Primary & Secondary Schooling (K-12); Toys;
    // v1 only: Child Internet Safety.
    topicsIds: [19, 50, 101, 231, 233, 258, 259, 260, 563, 291, 468, 542, 608, 261],
  },
  {
    key: 'crime',
    label: 'Crime and criminal records',
    reason: 'GDPR art. 10',
    // /Law & Government/Legal Services; v1 only: Crime & Justice, Legal.
    topicsIds: [242, 240, 241],
  },
];

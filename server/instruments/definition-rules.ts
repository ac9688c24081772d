// Our own rules for instrument files, on top of the SurveyJS schema. They keep the data
// analysable (names that can become CSV columns, choices with values) and the respondent
// page safe (no markup outside html elements, no answer piping, no script).
import { Survey } from '../survey/survey-core';
import { levelDeclarationProblems } from './measurement-level';
import { ORGANISATION_KINDS } from '../organisations/repository';
import { fitsInDynamicPanel, isSupportedType, kindOf, REFUSED_TYPES, supportedTypes, typesNotInDynamicPanel } from '../survey/model';

export interface RuleViolation {
  element: string;
  /** What is wrong, in words that name the allowed values. */
  rule: string;
  /** A short stable name of the rule (for the API's `errors[].rule`), when it has one. */
  code?: string;
}

export interface DefinitionCheckOptions {
  /**
   * A curated instrument (Spiegel's own files in surveys/, with meta.items): every question
   * needs a source reference and every choice a text. A definition brought from elsewhere
   * does not; SurveyJS shows a choice's value where it has no text.
   */
  curated?: boolean;
}

const NAME = /^[a-z0-9_]+$/;
/** Names of a definition brought from elsewhere: they become CSV columns and SPSS variables, so no spaces or dots. */
const LENIENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Names an object already has: a question so named could reach Object.prototype through any plain object keyed by name. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof']);
const ALLOWED_HTML_TAGS = new Set(['p', 'ul', 'ol', 'li', 'strong', 'em', 'br', 'h3', 'h4']);
const TEXT_PROPERTIES = new Set(['title', 'description', 'text', 'placeholder', 'otherText', 'noneText', 'refuseText',
  'dontKnowText', 'labelTrue', 'labelFalse', 'requiredErrorText', 'otherPlaceholder', 'commentText', 'minRateDescription',
  'maxRateDescription', 'completeText', 'pageNextText', 'pagePrevText', 'startSurveyText', 'selectAllText']);

type Json = Record<string, unknown>;

export function checkDefinition(definition: Json, meta: Json, { curated = Object.hasOwn(meta, 'items') }: DefinitionCheckOptions = {}): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const names = new Map<string, number>();
  const types = new Map<string, string>();
  const add = (element: string, rule: string, code?: string) => violations.push(code ? { element, rule, code } : { element, rule });

  // survey-core itself throws on a question named like a property every object has (its
  // question hash is a plain object): such a file is refused before survey-core reads it.
  for (const name of elementNames(definition)) {
    if (RESERVED_NAMES.has(name)) add(name, 'a name may not be one that every JavaScript object has (__proto__, constructor, prototype, ...)', 'name');
  }
  if (violations.length > 0) return violations;

  // A property survey-core does not know is ignored by it: in Spiegel's own files it is a
  // typo to fix, in a definition from elsewhere usually a setting of another SurveyJS version.
  const jsonErrors = new Survey.Model(definition).jsonErrors ?? [];
  for (const error of jsonErrors) {
    const unknownProperty = (error as { type?: string }).type === 'unknownproperty';
    if (curated || !unknownProperty) add(String((error as { element?: { name?: string } }).element?.name ?? '(survey)'), `SurveyJS: ${error.message}`, 'surveyjs');
  }

  checkTexts('(survey)', definition, add);
  checkSurveySettings(definition, add);
  const pages = Array.isArray(definition.pages) ? (definition.pages as Json[]) : [];
  if (pages.length === 0) add('(survey)', 'the definition needs at least one page', 'pages');
  for (const page of pages) {
    checkTexts(String(page.name ?? '(page)'), page, add);
    walkElements((page.elements as Json[]) ?? [], null, (element, dynamicPanel) => {
      const name = String(element.name ?? '');
      const label = name || '(unnamed element)';
      if (!(curated ? NAME : LENIENT_NAME).test(name)) {
        add(label, curated ? 'a name is lowercase letters, digits and underscores only'
          : `de naam "${name}" kan geen kolom in de export worden: gebruik letters, cijfers, _ en - (begin met een letter, hoogstens 64 tekens)`, 'name');
      }
      const type = String(element.type ?? '');
      const refusedBecause = REFUSED_TYPES.get(type);
      if (refusedBecause) add(label, `vraagtype "${type}" wordt niet aanvaard: ${refusedBecause}`, 'type');
      else if (!isSupportedType(type)) add(label, `vraagtype "${type}" bestaat niet in Spiegel; toegestaan: ${supportedTypes().join(', ')}`, 'type');
      else if (dynamicPanel !== null && !fitsInDynamicPanel(type)) {
        add(label, `vraagtype "${type}" kan niet in het dynamische panel "${dynamicPanel}" staan: elk deel daarvan bewaart per vraag één waarde of een lijst van waarden, `
          + `en een ${typesNotInDynamicPanel().join(', ')} heeft zelf rijen of velden, die een inzending niet kan bewaren en de export geen kolom kan geven; `
          + `zet "${name}" buiten het dynamische panel, of vervang het door losse vragen`, 'nestedTable');
      }
      checkTexts(label, element, add, { inPanel: dynamicPanel !== null });
      checkElementSettings(label, element, add);
      if (type === 'html') checkHtml(label, String(element.html ?? ''), add);
      checkLists(label, type, element, curated, add);
      // The questions of a template are named per panel (a template's "age" is not the
      // survey's "age"): not unique with the survey's names, no background, no meta.items.
      if (dynamicPanel !== null) return;
      // Two panels or texts with one name store nothing twice; two questions would.
      if (curated || kindOf({ getType: () => type, inputType: element.inputType as string | undefined }) !== null) names.set(name, (names.get(name) ?? 0) + 1);
      types.set(name, type);
      if (curated && type !== 'panel' && type !== 'html' && type !== 'image' && type !== 'expression' && !hasMetaItem(meta, name)) {
        add(label, 'meta.items needs an entry with the source reference of this question', 'meta.items');
      }
    });
  }
  for (const [name, count] of names) if (count > 1) add(name, 'names must be unique in the instrument', 'uniqueName');
  for (const listName of ['sensitive', 'contactQuestions']) {
    for (const name of (meta[listName] as string[] | undefined) ?? []) {
      if (!names.has(name)) add(name, `meta.${listName} names a question that does not exist`, `meta.${listName}`);
    }
  }
  checkModes(meta, add);
  checkOrganisationKinds(meta, add);
  checkBackground(meta, types, add);
  for (const problem of levelDeclarationProblems(meta, types)) add(problem.element, problem.rule);
  // One problem once: an html text with ten <td> needs one remark, not ten.
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.element}\u0000${v.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// meta.modes: the wave modes an instrument may run in. An instrument that asks about
// violence at home may promise anonymity in its own words, or simply be unsafe to answer
// under a name; it says so here, and a wave in another mode is refused.
export const WAVE_MODES = ['anonymous', 'identified', 'team'] as const;
const DEFAULT_MODES = ['anonymous', 'identified'];

/** The modes a wave of this instrument may have (meta.modes, or anonymous and identified). */
export function allowedModes(meta: Json | undefined): string[] {
  const modes = meta?.modes;
  return Array.isArray(modes) ? modes.map(String) : DEFAULT_MODES;
}

/** Why the instrument allows only the modes it lists (meta.modesReason), said where a mode is chosen or refused. */
export function modesReason(meta: Json | undefined): string | null {
  return typeof meta?.modesReason === 'string' && meta.modesReason.trim() !== '' ? meta.modesReason.trim() : null;
}

function checkModes(meta: Json, add: (element: string, rule: string, code?: string) => void): void {
  if (meta.modesReason !== undefined && (typeof meta.modesReason !== 'string' || meta.modesReason.length > 500)) {
    add('meta.modesReason', 'meta.modesReason must be a text of at most 500 characters');
  }
  if (meta.modes === undefined) return;
  const modes = meta.modes;
  if (!Array.isArray(modes) || modes.length === 0) { add('meta.modes', 'meta.modes must be a non-empty list of wave modes', 'meta.modes'); return; }
  const seen = new Set<string>();
  for (const mode of modes) {
    if (typeof mode !== 'string' || !(WAVE_MODES as readonly string[]).includes(mode)) {
      add('meta.modes', `meta.modes lists "${String(mode)}", which is not one of ${WAVE_MODES.join(', ')}`, 'meta.modes');
    } else if (seen.has(mode)) add('meta.modes', `meta.modes lists "${mode}" twice`, 'meta.modes');
    seen.add(String(mode));
  }
}

/** Types whose answers are one of a few listed values: only these can be grouped for a k-anonymous export. */
const CLOSED_TYPES = new Set(supportedTypes().filter((type) => {
  const kind = kindOf({ getType: () => type });
  return kind === 'single' || kind === 'multi';
}));

/**
 * meta.background names the questions that describe the respondent (role, sector,
 * experience). The export makes every combination of their answers shared by enough rows,
 * which only means something for closed questions: a free text or a number is near unique.
 */
// meta.organisationKinds: the kinds of organisation an instrument is written for (the Movisie
// route speaks to a municipality, the Valente steps to a shelter).
/** The kinds of organisation an instrument's meta declares, or null when it declares none. */
export function allowedOrganisationKinds(meta: Json | undefined): string[] | null {
  const kinds = meta?.organisationKinds;
  return Array.isArray(kinds) ? kinds.map(String) : null;
}

/**
 * Every shared instrument was written for shelters before municipalities came: one that
 * declares no kinds runs in an opvang only. A manager's own upload (organisationId set) is
 * seen by her organisation only, whatever its kind, so it runs there.
 */
export const DEFAULT_ORGANISATION_KINDS: readonly string[] = ['opvang'];

/** The kinds of organisation that may run a wave of this instrument, or null for any. */
export function organisationKindsOf(instrument: { meta: Json; organisationId?: string | null }): readonly string[] | null {
  return allowedOrganisationKinds(instrument.meta) ?? (instrument.organisationId ? null : DEFAULT_ORGANISATION_KINDS);
}

function checkOrganisationKinds(meta: Json, add: (element: string, rule: string) => void): void {
  const kinds = meta.organisationKinds;
  if (kinds === undefined) return;
  if (!Array.isArray(kinds) || kinds.length === 0) { add('meta.organisationKinds', 'meta.organisationKinds must be a non-empty list of kinds of organisation'); return; }
  for (const kind of kinds) {
    if (typeof kind !== 'string' || !(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
      add('meta.organisationKinds', `meta.organisationKinds lists "${String(kind)}", which is not one of ${ORGANISATION_KINDS.join(', ')}`);
    }
  }
}

function checkBackground(meta: Json, types: Map<string, string>, add: (e: string, r: string, c?: string) => void): void {
  const background = meta.background;
  if (background === undefined) return;
  if (!Array.isArray(background) || !background.every((n) => typeof n === 'string')) {
    add('(meta)', 'meta.background must be a list of question names', 'meta.background');
    return;
  }
  const contact = new Set(Array.isArray(meta.contactQuestions) ? (meta.contactQuestions as unknown[]) : []);
  const seen = new Set<string>();
  for (const name of background as string[]) {
    const type = types.get(name);
    if (seen.has(name)) add(name, 'meta.background names a question twice', 'meta.background');
    seen.add(name);
    if (type === undefined) add(name, 'meta.background names a question that does not exist', 'meta.background');
    else if (!CLOSED_TYPES.has(type)) add(name, `meta.background names a ${type} question; only closed questions (one or more listed choices) can be background`, 'meta.background');
    if (contact.has(name)) add(name, 'meta.background may not name a contact question: those are never exported', 'meta.background');
  }
}

/**
 * Visits every element: in panels, and in dynamic panels' templates (with the name of the
 * innermost dynamic panel around it, else null), so that what a template holds is checked
 * as what a page holds. Before, a template was not visited: a table, a file or a signature
 * in it loaded, and the submission check then refused every answer to it.
 */
function walkElements(elements: Json[], dynamicPanel: string | null, visit: (element: Json, dynamicPanel: string | null) => void, depth = 0): void {
  if (depth > 50) return; // survey-core nests no deeper; a file that does is refused by the schema
  for (const element of elements) {
    visit(element, dynamicPanel);
    if (Array.isArray(element.elements)) walkElements(element.elements as Json[], dynamicPanel, visit, depth + 1);
    if (Array.isArray(element.templateElements)) walkElements(element.templateElements as Json[], String(element.name ?? ''), visit, depth + 1);
  }
}

/** The choices, rows, columns and items of an element: values that can become columns, each once. */
function checkLists(label: string, type: string, element: Json, curated: boolean, add: (e: string, r: string, c?: string) => void): void {
  for (const listName of ['choices', 'rows', 'columns', 'items', 'rateValues']) {
    const list = element[listName];
    if (list === undefined) continue;
    // A comment's rows is the height of its text box (a number), not a list.
    if (listName === 'rows' && (type === 'comment' || type === 'text')) {
      if (!(Number.isInteger(list) && (list as number) > 0 && (list as number) <= 50)) add(label, 'rows van een open vraag is een aantal regels (1 tot 50)', 'rows');
      continue;
    }
    if (!Array.isArray(list)) { add(label, `${listName} must be a list`, 'list'); continue; }
    const isTextItem = listName === 'items' || (listName === 'columns' && type !== 'matrix');
    list.forEach((item, index) => checkChoice(`${label}.${listName}[${index}]`, item, isTextItem, curated, add));
    if (!isTextItem) checkDuplicateValues(label, listName, list, add);
  }
}

/** The names of every element and page, nested panels included, read without survey-core. */
function elementNames(definition: Json): string[] {
  const names: string[] = [];
  const pending: unknown[] = Array.isArray(definition.pages) ? [...(definition.pages as unknown[])] : [];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object') continue;
    const { name, elements, templateElements } = node as Json;
    if (typeof name === 'string') names.push(name);
    for (const children of [elements, templateElements]) if (Array.isArray(children)) pending.push(...(children as unknown[]));
  }
  return names;
}

function hasMetaItem(meta: Json, name: string): boolean {
  const items = meta.items as Json | undefined;
  return !!items && typeof items === 'object' && Object.hasOwn(items, name);
}

function checkChoice(label: string, item: unknown, isTextItem: boolean, curated: boolean, add: (e: string, r: string, c?: string) => void): void {
  if (!curated && (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item)))) {
    // SurveyJS's short form: the value is also the text.
    if (typeof item === 'string' && !validLenientValue(item)) add(label, LENIENT_VALUE_RULE, 'value');
    if (typeof item === 'string') checkText(label, 'text', item, add);
    return;
  }
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    add(label, 'every choice needs a value and a Dutch text', 'value');
    return;
  }
  const choice = item as Json;
  const key = isTextItem ? choice.name : choice.value;
  if (curated) {
    const validKey = (typeof key === 'string' && NAME.test(key)) || (typeof key === 'number' && Number.isInteger(key));
    if (!validKey) add(label, 'a choice value is lowercase letters, digits and underscores, or a whole number', 'value');
  } else if (isTextItem ? !(typeof key === 'string' && LENIENT_NAME.test(key)) : !(validLenientValue(key) || (typeof key === 'number' && Number.isFinite(key)))) {
    add(label, isTextItem ? `de naam "${String(key)}" kan geen kolom worden: letters, cijfers, _ en -` : LENIENT_VALUE_RULE, 'value');
  }
  const text = isTextItem ? (choice.title ?? choice.text) : choice.text;
  const hasText = typeof text === 'string' ? text.trim() !== '' : isLocalisedText(text);
  if (curated && !hasText) add(label, 'every choice needs a value and a Dutch text', 'text');
  checkTexts(label, choice, add);
}

const LENIENT_VALUE_RULE = 'een keuzewaarde is een getal of een tekst van 1 tot 100 tekens zonder spaties aan begin of eind';

function validLenientValue(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 100 && value.trim() === value;
}

/** `{default, nl, en}`: a text in several languages. */
function isLocalisedText(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value)
    && Object.values(value as Json).some((v) => typeof v === 'string' && v.trim() !== '');
}

/** Two choices with one value: results would count one answer twice (140 %) and compare a group with itself. */
function checkDuplicateValues(label: string, listName: string, list: unknown[], add: (e: string, r: string, c?: string) => void): void {
  const seen = new Set<string>();
  for (const item of list) {
    const value = item && typeof item === 'object' ? (item as Json).value : item;
    if (value === undefined) continue;
    const key = String(value);
    if (seen.has(key)) add(label, `${listName} bevat de waarde "${key}" twee keer; elke waarde mag één keer voorkomen`, 'duplicateValue');
    seen.add(key);
  }
}

// ---- settings that break a submission or anonymity -----------------------------------------

/** Survey settings refused, with the reason a manager reads. */
const REFUSED_SURVEY_SETTINGS = new Map<string, string>([
  ['cookieName', 'survey-core schrijft dan een cookie van twee jaar die op een gedeelde tablet verraadt dat iemand de vragenlijst invulde; laat cookieName weg'],
  ['navigateToUrl', 'de pagina gaat weg terwijl de antwoorden nog verstuurd worden; laat navigateToUrl weg'],
  ['navigateToUrlOnCondition', 'de pagina gaat weg terwijl de antwoorden nog verstuurd worden; laat navigateToUrlOnCondition weg'],
]);

function checkSurveySettings(definition: Json, add: (e: string, r: string, c?: string) => void): void {
  for (const [property, reason] of REFUSED_SURVEY_SETTINGS) {
    if (definition[property] !== undefined && definition[property] !== '' && !(Array.isArray(definition[property]) && (definition[property] as unknown[]).length === 0)) {
      add('(survey)', `${property} wordt niet aanvaard: ${reason}`, property);
    }
  }
  const calculated = definition.calculatedValues;
  if (Array.isArray(calculated)) {
    for (const value of calculated) {
      if (value && typeof value === 'object' && (value as Json).includeIntoResult === true) {
        add(`(survey).calculatedValues.${String((value as Json).name)}`,
          'includeIntoResult wordt niet aanvaard: een berekende waarde is geen antwoord en elke inzending zou geweigerd worden; zet includeIntoResult op false of laat het weg', 'includeIntoResult');
      }
    }
  }
  if (definition.storeOthersAsComment === false) {
    add('(survey)', 'storeOthersAsComment: false wordt niet aanvaard: de tekst bij "Anders" komt dan in plaats van de keuze; laat het weg (standaard true)', 'storeOthersAsComment');
  }
  const conditions = definition.completedHtmlOnCondition;
  if (Array.isArray(conditions)) {
    conditions.forEach((condition, index) => {
      if (!condition || typeof condition !== 'object') return;
      const html = (condition as Json).html;
      for (const text of textsOf(html)) checkHtmlText(`(survey).completedHtmlOnCondition[${index}]`, 'html', text, add);
    });
  }
}

function checkElementSettings(label: string, element: Json, add: (e: string, r: string, c?: string) => void): void {
  if (element.choicesByUrl !== undefined) {
    add(label, 'choicesByUrl wordt niet aanvaard: keuzes van een andere website worden door het beveiligingsbeleid geblokkeerd en zijn niet in de export vast te leggen; zet de keuzes in choices', 'choicesByUrl');
  }
  if (element.storeOthersAsComment === false) {
    add(label, 'storeOthersAsComment: false wordt niet aanvaard: de tekst bij "Anders" komt dan in plaats van de keuze; laat het weg', 'storeOthersAsComment');
  }
  if (element.type === 'text' && element.inputType !== undefined && !TEXT_INPUT_TYPES_ALLOWED.has(String(element.inputType))) {
    add(label, `inputType "${String(element.inputType)}" wordt niet aanvaard; toegestaan: ${[...TEXT_INPUT_TYPES_ALLOWED].join(', ')}`, 'inputType');
  }
  for (const link of imageLinks(element)) {
    if (!link.startsWith('data:image/')) {
      add(label, `afbeelding "${link.slice(0, 80)}" staat op een andere website: de browser van de invuller zou die website laten weten dat hij de vragenlijst opent (en het beveiligingsbeleid blokkeert hem); neem de afbeelding op als data:image/…`, 'imageLink');
    }
  }
  if (Array.isArray(element.validators)) {
    element.validators.forEach((validator, index) => {
      if (!validator || typeof validator !== 'object') return;
      for (const text of textsOf((validator as Json).text)) checkText(`${label}.validators[${index}]`, 'text', text, add);
    });
  }
}

function imageLinks(element: Json): string[] {
  const links: string[] = [];
  if (typeof element.imageLink === 'string' && element.imageLink !== '') links.push(element.imageLink);
  if (element.type === 'imagepicker' && Array.isArray(element.choices)) {
    for (const choice of element.choices) {
      if (choice && typeof choice === 'object' && typeof (choice as Json).imageLink === 'string') links.push(String((choice as Json).imageLink));
    }
  }
  return links;
}

/** Text input types survey-core sends as a value Spiegel can store and check. */
const TEXT_INPUT_TYPES_ALLOWED = new Set(['text', 'number', 'range', 'date', 'email', 'tel', 'url']);

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.values(value as Json).filter((v): v is string => typeof v === 'string');
  return [];
}

function checkText(label: string, property: string, text: string, add: (e: string, r: string, c?: string) => void): void {
  if (/\{[^}]*\}/.test(text)) add(label, `${property} may not pipe answers into the page ({…} placeholders)`, 'piping');
  if (/<[a-z!/?]/i.test(text)) add(label, `${property} may not contain markup; use an html element`, 'markup');
}

function checkHtmlText(label: string, property: string, text: string, add: (e: string, r: string, c?: string) => void): void {
  if (/\{[^}]*\}/.test(text)) add(label, `${property} may not pipe answers into the page ({…} placeholders)`, 'piping');
  checkHtml(label, text, add);
}

/**
 * Whether a text pipes anything into the page: a {placeholder}, other than (in a dynamic
 * panel's template, `inPanel`) the panel's own answers and number, which SurveyJS's template
 * titles use ("Informatie over {panel.relatie}") and which were never refused there.
 */
function pipes(text: string, inPanel: boolean): boolean {
  for (const match of text.matchAll(/\{([^}]*)\}/g)) {
    const placeholder = match[1].trim();
    if (!inPanel || !(placeholder.startsWith('panel.') || placeholder === 'panelIndex')) return true;
  }
  return false;
}

/** Text is shown to respondents: no markup, and no {placeholders} that pipe answers into the page. */
function checkTexts(label: string, node: Json, add: (e: string, r: string, c?: string) => void, { inPanel = false }: { inPanel?: boolean } = {}): void {
  for (const [property, value] of Object.entries(node)) {
    const isHtml = property === 'html' || property.endsWith('Html');
    if (!TEXT_PROPERTIES.has(property) && !isHtml) continue;
    const texts = typeof value === 'string' ? [value]
      : value && typeof value === 'object' ? Object.values(value as Json).filter((v): v is string => typeof v === 'string') : [];
    for (const text of texts) {
      if (pipes(text, inPanel)) add(label, `${property} may not pipe answers into the page ({…} placeholders${inPanel ? ' other than {panel.…}' : ''})`, 'piping');
      if (isHtml) checkHtml(label, text, add);
      else if (/<[a-z!/?]/i.test(text)) add(label, `${property} may not contain markup; use an html element`, 'markup');
    }
  }
}

function checkHtml(label: string, html: string, add: (e: string, r: string, c?: string) => void): void {
  for (const match of html.matchAll(/<\s*(\/?)\s*([a-z0-9!?-]*)([^>]*)>/gi)) {
    const tag = match[2].toLowerCase();
    if (!ALLOWED_HTML_TAGS.has(tag)) add(label, `html may not contain <${tag || match[0]}>; allowed: ${[...ALLOWED_HTML_TAGS].join(', ')}`, 'markup');
    else if (match[3].trim() !== '' && match[3].trim() !== '/') add(label, `html tags may not have attributes (<${tag}${match[3]}>)`, 'markup');
  }
  if (/javascript:|on\w+\s*=/i.test(html)) add(label, 'html may not contain script', 'markup');
}

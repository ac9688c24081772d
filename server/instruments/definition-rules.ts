// Our own rules for instrument files, on top of the SurveyJS schema. They keep the data
// analysable (names that can become CSV columns, choices with values) and the respondent
// page safe (no markup outside html elements, no answer piping, no script).
import { Survey } from '../survey/survey-core';
import { levelDeclarationProblems } from './measurement-level';
import { ORGANISATION_KINDS } from '../organisations/repository';

export interface RuleViolation {
  element: string;
  rule: string;
}

const NAME = /^[a-z0-9_]+$/;
/** Names an object already has: a question so named could reach Object.prototype through any plain object keyed by name. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof']);
const ALLOWED_TYPES = new Set([
  'radiogroup', 'checkbox', 'dropdown', 'comment', 'text', 'matrix', 'boolean', 'html', 'panel', 'multipletext',
]);
const ALLOWED_HTML_TAGS = new Set(['p', 'ul', 'ol', 'li', 'strong', 'em', 'br', 'h3', 'h4']);
const TEXT_PROPERTIES = new Set(['title', 'description', 'text', 'placeholder', 'otherText', 'noneText', 'refuseText',
  'dontKnowText', 'labelTrue', 'labelFalse', 'requiredErrorText', 'otherPlaceholder', 'commentText']);

type Json = Record<string, unknown>;

export function checkDefinition(definition: Json, meta: Json): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const names = new Map<string, number>();
  const types = new Map<string, string>();
  const add = (element: string, rule: string) => violations.push({ element, rule });

  // survey-core itself throws on a question named like a property every object has (its
  // question hash is a plain object): such a file is refused before survey-core reads it.
  for (const name of elementNames(definition)) {
    if (RESERVED_NAMES.has(name)) add(name, 'a name may not be one that every JavaScript object has (__proto__, constructor, prototype, ...)');
  }
  if (violations.length > 0) return violations;

  const jsonErrors = new Survey.Model(definition).jsonErrors ?? [];
  for (const error of jsonErrors) add(String((error as { element?: { name?: string } }).element?.name ?? '(survey)'), `SurveyJS: ${error.message}`);

  checkTexts('(survey)', definition, add);
  const pages = Array.isArray(definition.pages) ? (definition.pages as Json[]) : [];
  if (pages.length === 0) add('(survey)', 'the definition needs at least one page');
  for (const page of pages) {
    checkTexts(String(page.name ?? '(page)'), page, add);
    walkElements((page.elements as Json[]) ?? [], (element) => {
      const name = String(element.name ?? '');
      const label = name || '(unnamed element)';
      if (!NAME.test(name)) add(label, 'a name is lowercase letters, digits and underscores only');
      names.set(name, (names.get(name) ?? 0) + 1);
      const type = String(element.type ?? '');
      types.set(name, type);
      if (!ALLOWED_TYPES.has(type)) add(label, `element type "${type}" is not allowed`);
      checkTexts(label, element, add);
      if (type === 'html') checkHtml(label, String(element.html ?? ''), add);
      for (const listName of ['choices', 'rows', 'columns', 'items']) {
        const list = element[listName];
        if (list === undefined) continue;
        if (!Array.isArray(list)) { add(label, `${listName} must be a list`); continue; }
        list.forEach((item, index) => checkChoice(`${label}.${listName}[${index}]`, item, listName === 'items', add));
      }
      if (type !== 'panel' && type !== 'html' && !hasMetaItem(meta, name)) {
        add(label, 'meta.items needs an entry with the source reference of this question');
      }
    });
  }
  for (const [name, count] of names) if (count > 1) add(name, 'names must be unique in the instrument');
  for (const listName of ['sensitive', 'contactQuestions']) {
    for (const name of (meta[listName] as string[] | undefined) ?? []) {
      if (!names.has(name)) add(name, `meta.${listName} names a question that does not exist`);
    }
  }
  checkModes(meta, add);
  checkOrganisationKinds(meta, add);
  checkBackground(meta, types, add);
  for (const problem of levelDeclarationProblems(meta, types)) add(problem.element, problem.rule);
  return violations;
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

function checkModes(meta: Json, add: (element: string, rule: string) => void): void {
  if (meta.modesReason !== undefined && (typeof meta.modesReason !== 'string' || meta.modesReason.length > 500)) {
    add('meta.modesReason', 'meta.modesReason must be a text of at most 500 characters');
  }
  if (meta.modes === undefined) return;
  const modes = meta.modes;
  if (!Array.isArray(modes) || modes.length === 0) { add('meta.modes', 'meta.modes must be a non-empty list of wave modes'); return; }
  const seen = new Set<string>();
  for (const mode of modes) {
    if (typeof mode !== 'string' || !(WAVE_MODES as readonly string[]).includes(mode)) {
      add('meta.modes', `meta.modes lists "${String(mode)}", which is not one of ${WAVE_MODES.join(', ')}`);
    } else if (seen.has(mode)) add('meta.modes', `meta.modes lists "${mode}" twice`);
    seen.add(String(mode));
  }
}

/** Types whose answers are one of a few listed values: only these can be grouped for a k-anonymous export. */
const CLOSED_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'boolean']);

/**
 * meta.background names the questions that describe the respondent (role, sector,
 * experience). The export makes every combination of their answers shared by enough rows,
 * which only means something for closed questions: a free text or a number is near unique.
 */
// meta.organisationKinds: the kinds of organisation an instrument is written for (the Movisie
// route speaks to a municipality); absent, any kind runs it.
/** The kinds of organisation that may run a wave of this instrument, or null for any. */
export function allowedOrganisationKinds(meta: Json | undefined): string[] | null {
  const kinds = meta?.organisationKinds;
  return Array.isArray(kinds) ? kinds.map(String) : null;
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

function checkBackground(meta: Json, types: Map<string, string>, add: (e: string, r: string) => void): void {
  const background = meta.background;
  if (background === undefined) return;
  if (!Array.isArray(background) || !background.every((n) => typeof n === 'string')) {
    add('(meta)', 'meta.background must be a list of question names');
    return;
  }
  const contact = new Set(Array.isArray(meta.contactQuestions) ? (meta.contactQuestions as unknown[]) : []);
  const seen = new Set<string>();
  for (const name of background as string[]) {
    const type = types.get(name);
    if (seen.has(name)) add(name, 'meta.background names a question twice');
    seen.add(name);
    if (type === undefined) add(name, 'meta.background names a question that does not exist');
    else if (!CLOSED_TYPES.has(type)) add(name, `meta.background names a ${type} question; only closed questions (one or more listed choices) can be background`);
    if (contact.has(name)) add(name, 'meta.background may not name a contact question: those are never exported');
  }
}

function walkElements(elements: Json[], visit: (element: Json) => void): void {
  for (const element of elements) {
    visit(element);
    if (Array.isArray(element.elements)) walkElements(element.elements as Json[], visit);
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

function checkChoice(label: string, item: unknown, isTextItem: boolean, add: (e: string, r: string) => void): void {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    add(label, 'every choice needs a value and a Dutch text');
    return;
  }
  const choice = item as Json;
  const key = isTextItem ? choice.name : choice.value;
  const validKey = (typeof key === 'string' && NAME.test(key)) || (typeof key === 'number' && Number.isInteger(key));
  if (!validKey) add(label, 'a choice value is lowercase letters, digits and underscores, or a whole number');
  const text = isTextItem ? (choice.title ?? choice.text) : choice.text;
  if (typeof text !== 'string' || text.trim() === '') add(label, 'every choice needs a value and a Dutch text');
  checkTexts(label, choice, add);
}

/** Text is shown to respondents: no markup, and no {placeholders} that pipe answers into the page. */
function checkTexts(label: string, node: Json, add: (e: string, r: string) => void): void {
  for (const [property, value] of Object.entries(node)) {
    const isHtml = property === 'html' || property.endsWith('Html');
    if (!TEXT_PROPERTIES.has(property) && !isHtml) continue;
    const texts = typeof value === 'string' ? [value]
      : value && typeof value === 'object' ? Object.values(value as Json).filter((v): v is string => typeof v === 'string') : [];
    for (const text of texts) {
      if (/\{[^}]*\}/.test(text)) add(label, `${property} may not pipe answers into the page ({…} placeholders)`);
      if (isHtml) checkHtml(label, text, add);
      else if (/<[a-z!/?]/i.test(text)) add(label, `${property} may not contain markup; use an html element`);
    }
  }
}

function checkHtml(label: string, html: string, add: (e: string, r: string) => void): void {
  for (const match of html.matchAll(/<\s*(\/?)\s*([a-z0-9!?-]*)([^>]*)>/gi)) {
    const tag = match[2].toLowerCase();
    if (!ALLOWED_HTML_TAGS.has(tag)) add(label, `html may not contain <${tag || match[0]}>`);
    else if (match[3].trim() !== '' && match[3].trim() !== '/') add(label, `html tags may not have attributes (<${tag}${match[3]}>)`);
  }
  if (/javascript:|on\w+\s*=/i.test(html)) add(label, 'html may not contain script');
}

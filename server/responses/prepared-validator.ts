// A validator prepared once per instrument definition, giving exactly the outcome of the
// survey-core validation in validate-response.ts without building a survey-core model per
// submission (which costs tens of milliseconds).
//
// Why this is exact: in an instrument that uses only the features listed below, everything
// that depends on other answers (which questions, pages, panels, choices and matrix rows are
// visible) is decided by visibleIf expressions, and those read only the answers to a few
// questions, the "condition questions". survey-core itself works out that state, once per
// combination of answers to the condition questions, on a model kept for the purpose; the
// rest (shape, choices, required answers) is plain code that mirrors validate-response.ts
// step by step. An instrument using anything else (another property, a function in an
// expression, a validator, triggers, ...) gets no prepared validator and is validated by
// survey-core for every submission, as before.
import { storedTypeOf } from '../survey/model';
import { Survey } from '../survey/survey-core';
import { acceptsComment, EXCLUSIVE_VALUES, isVisible, Question, questionsOf, SurveyModel, surveyModel } from '../survey/model';
import { t } from '../i18n/messages';
import { baseNameOf, checkKeysAndShapes, Data, ShapeQuestion } from './answer-shape';
import type { ValidationOutcome } from './validate-response';


export interface PreparedValidator {
  validate(submitted: Data): ValidationOutcome;
}

// ---- what the prepared validator understands ---------------------------------------------

const SURVEY_KEYS = new Set(['title', 'description', 'locale', 'pages', 'showProgressBar', 'progressBarType', 'showQuestionNumbers',
  'questionsOnPageMode', 'showTitle', 'logo', 'logoPosition', 'completedHtml', 'completeText', 'pageNextText', 'pagePrevText',
  'showPrevButton', 'showCompletedPage', 'widthMode', 'questionTitleLocation', 'questionDescriptionLocation', 'questionErrorLocation']);
const PAGE_KEYS = new Set(['name', 'title', 'description', 'elements', 'visibleIf', 'navigationTitle', 'navigationDescription']);
const PRESENTATION_KEYS = ['type', 'name', 'title', 'description', 'visibleIf', 'startWithNewLine', 'titleLocation', 'descriptionLocation',
  'hideNumber', 'width', 'minWidth', 'maxWidth', 'indent'];
const SELECT_KEYS = ['isRequired', 'choices', 'showRefuseItem', 'refuseText', 'showNoneItem', 'noneText', 'showDontKnowItem', 'dontKnowText',
  'colCount', 'separateSpecialChoices'];
/** Looked up by an element's type, which the instrument's author writes: a Map, so that `constructor` is no type. */
const ELEMENT_KEYS = new Map<string, Set<string>>([
  ['html', new Set([...PRESENTATION_KEYS, 'html'])],
  ['panel', new Set([...PRESENTATION_KEYS, 'elements', 'state'])],
  ['radiogroup', new Set([...PRESENTATION_KEYS, ...SELECT_KEYS])],
  ['checkbox', new Set([...PRESENTATION_KEYS, ...SELECT_KEYS])],
  ['dropdown', new Set([...PRESENTATION_KEYS, ...SELECT_KEYS, 'placeholder'])],
  ['matrix', new Set([...PRESENTATION_KEYS, 'isRequired', 'rows', 'columns', 'alternateRows', 'columnMinWidth', 'rowTitleWidth'])],
  ['comment', new Set([...PRESENTATION_KEYS, 'isRequired', 'maxLength', 'rows', 'placeholder', 'autoGrow', 'allowResize'])],
  // A one-line text, plain or a date (a team record's owner and due date); other input types are survey-core's.
  ['text', new Set([...PRESENTATION_KEYS, 'isRequired', 'maxLength', 'placeholder', 'inputType'])],
  ['multipletext', new Set([...PRESENTATION_KEYS, 'isRequired', 'items', 'colCount', 'itemSize', 'maxLength'])],
]);
const CHOICE_KEYS = new Set(['value', 'text', 'visibleIf']);
const TEXT_ITEM_KEYS = new Set(['name', 'title', 'inputType', 'placeholder', 'validators', 'maxLength']);
const TEXT_ITEM_INPUT_TYPES = new Set(['text', 'email', 'tel']);
/** Validators of multiple-text items: survey-core reports their errors on the items, which validate-response.ts does not collect. */
const TEXT_ITEM_VALIDATORS = new Set(['email']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const hasOnly = (node: Json, allowed: Set<string>) => Object.keys(node).every((key) => allowed.has(key));

/** The visibleIf expressions of a definition, or null when it uses anything not understood here. */
function supportedExpressions(definition: Json): string[] | null {
  const expressions: string[] = [];
  const addCondition = (node: Json) => {
    if (node.visibleIf === undefined) return true;
    if (typeof node.visibleIf !== 'string') return false;
    expressions.push(node.visibleIf);
    return true;
  };
  const listOk = (list: unknown) => list === undefined || (Array.isArray(list) && list.every((item) =>
    typeof item === 'string' || typeof item === 'number' || (isObject(item) && hasOnly(item, CHOICE_KEYS) && addCondition(item))));
  const textItemsOk = (list: unknown) => Array.isArray(list) && list.every((item) => isObject(item) && hasOnly(item, TEXT_ITEM_KEYS)
    && (item.inputType === undefined || TEXT_ITEM_INPUT_TYPES.has(String(item.inputType)))
    && (item.validators === undefined || (Array.isArray(item.validators)
      && item.validators.every((v) => isObject(v) && Object.keys(v).length === 1 && TEXT_ITEM_VALIDATORS.has(String(v.type))))));
  const elementsOk = (elements: unknown): boolean => Array.isArray(elements) && elements.every((element) => {
    if (!isObject(element)) return false;
    const allowed = ELEMENT_KEYS.get(String(element.type));
    if (!allowed || !hasOnly(element, allowed) || !addCondition(element)) return false;
    if (element.isRequired !== undefined && typeof element.isRequired !== 'boolean') return false;
    if (element.type === 'panel') return elementsOk(element.elements ?? []);
    if (element.type === 'multipletext') return textItemsOk(element.items);
    if (element.type === 'text') return element.inputType === undefined || element.inputType === 'text' || element.inputType === 'date';
    return listOk(element.choices) && listOk(element.rows) && listOk(element.columns);
  });
  if (!hasOnly(definition, SURVEY_KEYS)) return null;
  if (definition.questionsOnPageMode !== undefined && definition.questionsOnPageMode !== 'standard') return null;
  if (!Array.isArray(definition.pages)) return null;
  for (const page of definition.pages) {
    if (!isObject(page) || !hasOnly(page, PAGE_KEYS) || !addCondition(page) || !elementsOk(page.elements ?? [])) return null;
  }
  return expressions;
}

// ---- the state that depends on the condition questions -----------------------------------

interface Snapshot {
  /** Questions visible by validate-response.ts's isVisible (the dropping of invisible answers and the choice checks). */
  visible: Set<string>;
  /** Questions survey-core's validate() looks at: visible, on a visible page, in visible panels. */
  validated: Set<string>;
  /** Visible questions in survey-core's order, the order in which their errors are listed. */
  order: string[];
  choices: Map<string, Set<string>>;
  exclusiveChoices: Map<string, Set<string>>;
  rows: Map<string, Set<string>>;
  columns: Map<string, Set<string>>;
}

interface QuestionInfo extends ShapeQuestion {
  name: string;
  type: string;
  isRequired: boolean;
  acceptsComment: boolean;
  requiredMessage: string;
}

const SNAPSHOT_CACHE_LIMIT = 1000;

export function prepareValidator(definition: Data): PreparedValidator | null {
  const expressions = supportedExpressions(definition);
  if (!expressions) return null;

  const model = surveyModel(definition);
  const questions = new Map<string, QuestionInfo>();
  for (const q of questionsOf(model, { nested: true })) questions.set(q.getValueName(), questionInfo(q));

  const byLowerCase = new Map([...questions.keys()].map((name) => [name.toLowerCase(), name]));
  const conditionSet = new Set<string>();
  for (const expression of expressions) {
    const runner = new Survey.ConditionRunner(expression);
    // A function (today(), age(), ...) could give another answer tomorrow; a variable that
    // is not a question (a calculated value, {item}, {row}) is not in the answers alone.
    if (!runner.canRun() || runner.hasFunction()) return null;
    for (const variable of runner.getVariables()) {
      const question = byLowerCase.get(variable.split(/[.[]/)[0].toLowerCase());
      if (!question) return null;
      conditionSet.add(question);
    }
  }
  const conditionQuestions = [...conditionSet].sort();
  // The stored type as the survey model names it (a date field is stored as `date`).
  const types = new Map([...questions].map(([name, q]) => [name, storedTypeOf({ getType: () => q.type, inputType: q.inputType as string | undefined })]));

  // survey-core works out the visible state on its own model, kept for this and given only
  // the condition answers; the result is a pure function of them, so it is kept too.
  const snapshots = new Map<string, Snapshot>();
  const snapshotFor = (data: Data): Snapshot => {
    const key = JSON.stringify(conditionQuestions.map((name) => (Object.hasOwn(data, name) ? [data[name]] : [])));
    let snapshot = snapshots.get(key);
    if (!snapshot) {
      const values: Data = Object.fromEntries(conditionQuestions.filter((name) => Object.hasOwn(data, name)).map((name) => [name, data[name]]));
      snapshot = takeSnapshot(model, values);
      if (snapshots.size >= SNAPSHOT_CACHE_LIMIT) snapshots.clear();
      snapshots.set(key, snapshot);
    }
    return snapshot;
  };

  return {
    validate(submitted: Data): ValidationOutcome {
      // 1. Every key is a question of the instrument, every value has that question's shape.
      const errors = checkKeysAndShapes(submitted, (name) => {
        const question = questions.get(name);
        return question && { question, acceptsComment: question.acceptsComment };
      });
      if (errors.length > 0) return { ok: false, errors };

      // 2. Answers to questions that are not visible are dropped, one at a time and in the
      //    order given, until nothing changes (as validate-response.ts's dropInvisibleAnswers).
      const data: Data = { ...submitted };
      let snapshot = snapshotFor(data);
      const cleared = (name: string) => {
        if (conditionSet.has(name)) snapshot = snapshotFor(data);
      };
      for (let round = 0; round < questions.size + 1; round++) {
        let changed = false;
        for (const name of Object.keys(data)) {
          const baseName = baseNameOf(name);
          if (questions.has(baseName) && !snapshot.visible.has(baseName)) {
            delete data[name];
            changed = true;
            cleared(name);
          }
        }
        for (const [name, q] of questions) {
          const value = data[name] as Data | undefined;
          if (q.type !== 'matrix' || !snapshot.visible.has(name) || !value) continue;
          const visibleRows = snapshot.rows.get(name)!;
          const kept = Object.fromEntries(Object.entries(value).filter(([row]) => visibleRows.has(row)));
          if (Object.keys(kept).length !== Object.keys(value).length) {
            if (Object.keys(kept).length > 0) data[name] = kept;
            else delete data[name];
            changed = true;
            cleared(name);
          }
        }
        if (!changed) break;
      }

      // 3. Values among the visible choices, columns and exclusive choices alone.
      for (const [name, value] of Object.entries(submitted)) {
        const question = questions.get(name);
        if (!question || !snapshot.visible.has(name)) continue;
        const message = checkAgainstChoices(question.type, name, value, snapshot);
        if (message) errors.push({ question: name, message });
      }
      if (errors.length > 0) return { ok: false, errors };

      // 4. What survey-core's validate() finds for these features: required answers missing.
      for (const name of snapshot.order) {
        const question = questions.get(name)!;
        if (snapshot.validated.has(name) && question.isRequired && isEmptyAnswer(question.type, data[name])) {
          errors.push({ question: name, message: question.requiredMessage });
        }
      }
      if (errors.length > 0) return { ok: false, errors };
      return { ok: true, data, types: new Map(types) };
    },
  };
}

function questionInfo(q: Question): QuestionInfo {
  const type = q.getType();
  return {
    name: q.getValueName(),
    type,
    getType: () => type,
    rows: Array.isArray(q.rows) ? (q.rows as Array<{ value: unknown }>).map((r) => ({ value: r.value })) : undefined,
    items: Array.isArray(q.items) ? (q.items as Array<{ name: string }>).map((i) => ({ name: i.name })) : undefined,
    maxLength: q.maxLength,
    inputType: q.inputType,
    valueTrue: q.valueTrue,
    valueFalse: q.valueFalse,
    isRequired: q.isRequired === true,
    acceptsComment: acceptsComment(q),
    requiredMessage: new Survey.AnswerRequiredError(q.requiredErrorText, q).getText(),
  };
}

function takeSnapshot(model: SurveyModel, conditionValues: Data): Snapshot {
  model.data = conditionValues;
  const all = questionsOf(model, { nested: true });
  const snapshot: Snapshot = {
    visible: new Set(all.filter(isVisible).map((q) => q.getValueName())),
    validated: new Set(),
    order: (model.getAllQuestions(true) as Question[]).map((q) => q.getValueName()),
    choices: new Map(), exclusiveChoices: new Map(), rows: new Map(), columns: new Map(),
  };
  // As survey-core's validate(): visible pages, their visible elements, into visible panels.
  const walk = (elements: Array<Record<string, any>>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const element of elements) {
      if (!element.isVisible) continue;
      if (element.isPanel) walk(element.elements);
      else snapshot.validated.add((element as Question).getValueName());
    }
  };
  for (const page of model.visiblePages) walk(page.elements);
  for (const q of all) {
    const name = q.getValueName();
    const type = q.getType();
    if (type === 'radiogroup' || type === 'dropdown' || type === 'checkbox') {
      const choices = q.visibleChoices as Array<{ value: unknown; isExclusive?: boolean }>;
      snapshot.choices.set(name, new Set(choices.map((c) => String(c.value))));
      snapshot.exclusiveChoices.set(name, new Set(choices.filter((c) => c.isExclusive === true).map((c) => String(c.value))));
    } else if (type === 'matrix') {
      snapshot.rows.set(name, new Set((q.visibleRows as Array<{ name: string }>).map((r) => String(r.name))));
      snapshot.columns.set(name, new Set((q.visibleColumns ?? q.columns).map((c: { value: unknown }) => String(c.value))));
    }
  }
  return snapshot;
}

/** validate-response.ts's checkAgainstVisibleChoices, on the snapshot. */
function checkAgainstChoices(type: string, name: string, value: unknown, snapshot: Snapshot): string | null {
  if (type === 'radiogroup' || type === 'dropdown') {
    return snapshot.choices.get(name)!.has(String(value)) ? null : t('errors.notAChoice');
  }
  if (type === 'checkbox') {
    const allowed = snapshot.choices.get(name)!;
    const exclusiveChoices = snapshot.exclusiveChoices.get(name)!;
    const values = (value as unknown[]).map(String);
    const bad = values.find((v) => !allowed.has(v));
    if (bad !== undefined) return t('errors.notAChoice');
    const exclusive = values.find((v) => EXCLUSIVE_VALUES.has(v) || exclusiveChoices.has(v));
    return exclusive !== undefined && values.length > 1 ? t('errors.exclusiveChoice', { choice: exclusive }) : null;
  }
  if (type === 'matrix') {
    const rows = snapshot.rows.get(name)!;
    const columns = snapshot.columns.get(name)!;
    for (const [row, column] of Object.entries(value as Data)) {
      if (rows.has(row) && !columns.has(String(column))) return t('errors.notAChoice');
    }
    return null;
  }
  return null;
}

/** survey-core's Question.isEmpty(): strings trimmed (allowSpaceAsAnswer is off), and '' for text questions. */
function isEmptyAnswer(type: string, value: unknown): boolean {
  const trimmed = typeof value === 'string' ? value.trim() : value;
  if (Survey.Helpers.isValueEmpty(trimmed)) return true;
  return (type === 'comment' || type === 'text') && value === '';
}

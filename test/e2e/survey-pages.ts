import type { Page } from 'playwright-core';

/**
 * Clicks through a SurveyJS survey, answering the named questions by their visible
 * labels (a list ticks several checkboxes), until it is sent.
 */
export async function fillSurvey(page: Page, answers: Record<string, string | string[]>, onPage?: (page: Page) => Promise<void>): Promise<void> {
  const answered = new Set<string>();
  for (let step = 0; step < 30; step++) {
    for (const [name, labels] of Object.entries(answers)) {
      const question = page.locator(`[data-name="${name}"]`);
      if (answered.has(name) || !(await question.isVisible())) continue;
      for (const label of Array.isArray(labels) ? labels : [labels]) await question.getByText(label, { exact: true }).click();
      answered.add(name);
    }
    if (onPage) await onPage(page);
    const next = page.getByRole('button', { name: 'Volgende' });
    if (await next.isVisible()) { await next.click(); continue; }
    await page.getByRole('button', { name: 'Verzenden' }).click();
    return;
  }
  throw new Error('the survey did not end');
}

/** The names of the questions SurveyJS shows on the current page. */
export async function visibleQuestions(page: Page): Promise<string[]> {
  return page.locator('[data-name]').evaluateAll((els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).map((e) => e.getAttribute('data-name')!));
}

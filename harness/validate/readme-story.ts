import type { ScenarioDefinition } from '../model/scenario.ts';

/**
 * A scenario's story is told once, in its data: `symptom`, `cause` and `fix` in scenario.ts. Its
 * README shows them, word for word, in a `## In one paragraph each` section; `readme-story.test.ts`
 * keeps the two in step, and a mismatch prints the section to paste.
 */
export const STORY_HEADING = '## In one paragraph each';

type Story = Pick<ScenarioDefinition, 'symptom' | 'cause' | 'fix'>;
const PARTS = [
  ['symptom', 'Symptom'],
  ['cause', 'Cause'],
  ['fix', 'Fix'],
] as const;

/** Outside code spans, `\`, `<` and `*` are escaped so that the text shows as written. */
export function markdownText(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\<*]/g, '\\$&')))
    .join('');
}

function plainText(md: string): string {
  return md
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\\([!-/:-@[-`{-~])/g, '$1')))
    .join('');
}

export function storySection(s: Story): string {
  return [
    STORY_HEADING,
    '',
    "The scenario's `symptom`, `cause` and `fix` (scenario.ts), word for word:",
    ...PARTS.flatMap(([key, label]) => ['', `**${label}:** ${markdownText(s[key])}`]),
  ].join('\n');
}

/** What the README's story section says, as plain text (a paragraph may wrap onto several lines). */
export function readmeStory(readme: string): Partial<Story> | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === STORY_HEADING);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^#{1,2} /.test(l));
  const paragraphs = (end < 0 ? rest : rest.slice(0, end))
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .join(' ')
        .trim(),
    );
  const story: Partial<Story> = {};
  for (const [key, label] of PARTS) {
    const p = paragraphs.find((text) => text.startsWith(`**${label}:** `));
    if (p !== undefined) story[key] = plainText(p.slice(label.length + 6));
  }
  return story;
}

export function storyProblems(s: Pick<ScenarioDefinition, 'id'> & Story, readme: string): string[] {
  const shown = readmeStory(readme);
  const paste = `\n${storySection(s)}\n`;
  if (!shown) return [`scenarios/${s.id}/README.md: no '${STORY_HEADING}' section; add:${paste}`];
  const stale = PARTS.filter(([key]) => shown[key] !== s[key]).map(([key]) => `\`${key}\``);
  if (stale.length === 0) return [];
  return [
    `scenarios/${s.id}/README.md › ${STORY_HEADING.slice(3)}: not the scenario's ${stale.join(', ')}; replace the section with:${paste}`,
  ];
}

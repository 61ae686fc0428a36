import { fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/testing/render.tsx';

import type { FlowChoices } from '../api/choices.ts';
import type { Step } from '../api/flows.ts';
import { StepList, type FlowError } from './step-list.tsx';

// Text is set with one change event (typing letter by letter only costs time here). The editor's pickers only; what the database accepts is tested against the stack in
// supabase/tests/database/automation.test.ts.
vi.mock(import('../api/choices.ts'), async (original) => ({ ...(await original()), createTag: vi.fn() }));

const ADA = '11111111-1111-4111-8111-111111111111';
const MAX = '22222222-2222-4222-8222-222222222222';
const VIP = '33333333-3333-4333-8333-333333333333';

const choices: FlowChoices = {
  members: [
    { user_id: ADA, full_name: 'Ada Agent', role: 'agent', active: true },
    { user_id: MAX, full_name: 'Max Manager', role: 'manager', active: true },
  ],
  tags: [{ id: VIP, name: 'VIP', colour: 'gold' }],
  stages: [
    { key: 'customer', label: 'Customer', position: 1 },
    { key: 'churned', label: 'Churned', position: 2 },
  ],
  countries: [
    { code: 'DE', name: 'Germany' },
    { code: 'FR', name: 'France' },
  ],
  languages: [{ code: 'de', name: 'German' }],
  segments: [],
  templates: [{ key: 'flow_welcome_1', name: 'Welcome 1', purpose: 'marketing' }],
} as FlowChoices;

/** The list as the flow editor holds it; the latest steps are what a save would send. */
function Harness({ initial, error, seen }: { initial: Step[]; error?: FlowError; seen: (steps: Step[]) => void }) {
  const [steps, setSteps] = useState(initial);
  return (
    <StepList
      steps={steps}
      choices={choices}
      disabled={false}
      error={error}
      onChange={(next) => {
        setSteps(next);
        seen(next);
      }}
    />
  );
}

function setup(initial: Step[], error?: FlowError) {
  let last: Step[] = initial;
  const view = renderWithProviders(<Harness initial={initial} error={error} seen={(steps) => (last = steps)} />);
  return { ...view, latest: () => last };
}

describe('flow step editor', () => {
  it('assigns owners from the team: round robin among ticked members, or by country as rows with a fallback', async () => {
    const { user, latest } = setup([{ id: 'assign', kind: 'assign_owner', mode: 'round_robin', members: [] }]);
    const step = screen.getByRole('listitem', { name: '1. Assign owner' });
    const turns = within(step).getByRole('group', { name: 'Members who take turns' });
    await user.click(within(turns).getByRole('checkbox', { name: 'Ada Agent' }));
    await user.click(within(turns).getByRole('checkbox', { name: 'Max Manager' }));
    expect(latest()[0]).toMatchObject({
      mode: 'round_robin',
      members: [ADA, MAX],
    });

    await user.selectOptions(within(step).getByRole('combobox', { name: 'How the owner is chosen' }), 'by_country');
    expect(latest()[0]).toEqual({ id: 'assign', kind: 'assign_owner', mode: 'by_country', map: {} });
    const map = within(step).getByRole('group', { name: 'Owner per country' });
    await user.click(within(map).getByRole('button', { name: 'Add row' }));
    await user.selectOptions(within(map).getByRole('combobox', { name: 'Country, row 1' }), 'DE');
    await user.selectOptions(within(map).getByRole('combobox', { name: 'Owner, row 1' }), 'Max Manager');
    await user.selectOptions(
      within(map).getByRole('combobox', { name: 'Fallback owner (no row matches)' }),
      'Ada Agent',
    );
    expect(latest()[0]).toMatchObject({
      map: { DE: MAX },
      fallback: ADA,
    });

    // The same country twice is named at the row, not silently dropped.
    await user.click(within(map).getByRole('button', { name: 'Add row' }));
    await user.selectOptions(within(map).getByRole('combobox', { name: 'Country, row 2' }), 'DE');
    expect(within(map).getByRole('combobox', { name: 'Country, row 2' })).toHaveAccessibleDescription(
      'DE is listed twice: only the last row counts.',
    );
  });

  it('picks templates, members, stages and tags from lists instead of typed ids', async () => {
    const { user, latest } = setup([
      { id: 'mail', kind: 'send_template', template_key: '' },
      { id: 'tell', kind: 'notify', member: 'owner', title: '' },
      { id: 'stage', kind: 'set_stage', stage: '' },
      { id: 'tag', kind: 'add_tag', tag_id: '' },
    ]);
    const mail = screen.getByRole('listitem', { name: '1. Send email' });
    await user.selectOptions(within(mail).getByRole('combobox', { name: 'Email template' }), 'Welcome 1 (marketing)');
    await user.click(within(mail).getByRole('button', { name: 'Add variable' }));
    fireEvent.change(within(mail).getByRole('textbox', { name: 'Variable name, row 1' }), {
      target: { value: 'offer_code' },
    });
    fireEvent.change(within(mail).getByRole('textbox', { name: 'Value, row 1' }), { target: { value: 'WELCOME5' } });
    const tell = screen.getByRole('listitem', { name: '2. Notify a member' });
    await user.selectOptions(within(tell).getByRole('combobox', { name: 'Member to notify' }), 'Ada Agent');
    fireEvent.change(within(tell).getByRole('textbox', { name: 'Title' }), { target: { value: 'Call them' } });
    await user.selectOptions(
      within(screen.getByRole('listitem', { name: '3. Set stage' })).getByRole('combobox', { name: 'Stage' }),
      'Churned',
    );
    await user.selectOptions(
      within(screen.getByRole('listitem', { name: '4. Add tag' })).getByRole('combobox', { name: 'Tag' }),
      'VIP',
    );
    expect(latest()).toEqual([
      { id: 'mail', kind: 'send_template', template_key: 'flow_welcome_1', variables: { offer_code: 'WELCOME5' } },
      { id: 'tell', kind: 'notify', member: ADA, title: 'Call them' },
      { id: 'stage', kind: 'set_stage', stage: 'churned' },
      { id: 'tag', kind: 'add_tag', tag_id: VIP },
    ]);
  });

  it('edits a condition with the segment rule builder, and shows the database’s refusal at the step it names', async () => {
    const { user, latest } = setup(
      [
        {
          id: 'check',
          kind: 'condition',
          rules: { match: 'all', conditions: [] },
          then: [{ id: 'later', kind: 'wait', days: 1 }],
          else: [],
        },
      ],
      { path: 'steps.1.then.1', message: 'steps.1.then.1: days must be a whole number from 0 to 365' },
    );
    const condition = screen.getByRole('group', { name: 'Condition: customers who match continue with “If yes”' });
    await user.click(within(condition).getByRole('button', { name: 'Add condition' }));
    fireEvent.change(within(condition).getByRole('textbox', { name: 'Value' }), { target: { value: 'DE' } });
    expect(latest()[0]?.rules).toEqual({ match: 'all', conditions: [{ field: 'country', op: 'eq', value: 'DE' }] });

    const branchStep = screen.getByRole('listitem', { name: '1. Wait' });
    expect(within(branchStep).getByText('Not saved: days must be a whole number from 0 to 365')).toBeInTheDocument();
    expect(screen.getAllByText(/Not saved:/)).toHaveLength(1);
  });
});

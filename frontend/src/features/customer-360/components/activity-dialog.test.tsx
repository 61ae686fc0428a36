import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';

import { removeAttachments, uploadAttachments } from '@/api/attachments.ts';

import { createActivity } from '../api/activities.ts';
import type { ActivityKind } from '../schemas/activity.ts';
import { renderWithProviders, testViewer } from '@/testing/render.tsx';
import { ActivityDialog } from './activity-dialog.tsx';

// The dialog's api modules are swapped so this test needs no server; the real insert is
// exercised against the local stack by scripts/e2e/customer-360.test.ts.
vi.mock('../api/activities.ts', () => ({ createActivity: vi.fn(), setTaskCompleted: vi.fn() }));
const fetchTeam = vi.hoisted(() => vi.fn());
vi.mock(import('@/api/team-members.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, teamMemberNamesOptions: withRequest(actual.teamMemberNamesOptions, fetchTeam) };
});
const createMock = vi.mocked(createActivity);
vi.mock(import('@/api/attachments.ts'), async (original) => ({
  ...(await original()),
  uploadAttachments: vi.fn(),
  removeAttachments: vi.fn(),
}));
const uploadMock = vi.mocked(uploadAttachments);
const removeMock = vi.mocked(removeAttachments);

function renderDialog(kind: ActivityKind = 'note') {
  const onClose = vi.fn();
  const rendered = renderWithProviders(<ActivityDialog customerId="customer-1" kind={kind} onClose={onClose} />, {
    viewer: testViewer({ userId: 'u-me', role: 'manager' }),
  });
  return { ...rendered, onClose };
}

describe('ActivityDialog', () => {
  beforeEach(() => {
    createMock.mockReset();
    uploadMock.mockReset();
    removeMock.mockReset();
    uploadMock.mockResolvedValue([]);
    fetchTeam.mockResolvedValue([
      { user_id: 'u-me', full_name: 'Marco Manager', role: 'manager', active: true },
      { user_id: 'u-agent', full_name: 'Alba Agent', role: 'agent', active: true },
      { user_id: 'u-reader', full_name: 'Rita Reader', role: 'readonly', active: true },
    ]);
    usePreferencesStore.getState().setPreferences({ timeZone: 'America/New_York', language: 'en' });
  });

  it('is a labelled dialog that refuses an empty note without calling the API', async () => {
    const { user, onClose } = renderDialog('note');
    const dialog = screen.getByRole('dialog', { name: 'Add a note' });
    expect(dialog).toBeInTheDocument();
    // Opens ready to type.
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Note' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    const note = screen.getByRole('textbox', { name: 'Note' });
    expect(note).toHaveAccessibleDescription('Write the note');
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(createMock).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('saves a note and closes', async () => {
    createMock.mockResolvedValue();
    const { user, onClose } = renderDialog('note');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), '  Wants the blue one in size 38.  ');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(createMock).toHaveBeenCalledWith(
      'customer-1',
      expect.objectContaining({ kind: 'note', body: 'Wants the blue one in size 38.', subject: '' }),
      'America/New_York',
      [],
    );
  });

  it('asks what a task is about, and offers due date and the team as assignees (not read-only members)', async () => {
    createMock.mockResolvedValue();
    const { user, onClose } = renderDialog('task');
    expect(screen.getByRole('dialog', { name: 'Create a task' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Task' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Create task' }));
    expect(screen.getByRole('textbox', { name: 'Task' })).toHaveAccessibleDescription('Say what needs doing');

    const assignee = screen.getByRole('combobox', { name: 'Assign to' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Alba Agent' })).toBeInTheDocument());
    expect(screen.queryByRole('option', { name: 'Rita Reader' })).not.toBeInTheDocument();
    expect(assignee).toHaveValue('u-me');

    await user.type(screen.getByRole('textbox', { name: 'Task' }), 'Send the size guide');
    await user.selectOptions(assignee, 'u-agent');
    // The same types as the tasks page; a new task is a to-do until someone says otherwise.
    const type = screen.getByRole('combobox', { name: 'Type' });
    expect(type).toHaveValue('to_do');
    expect(screen.getAllByRole('option', { name: /^(To-do|Call|Email|Meeting|Follow-up|Deadline)$/ })).toHaveLength(6);
    await user.selectOptions(type, 'call');
    await user.type(screen.getByLabelText('Due (your time zone)'), '2026-11-24T09:30');
    await user.click(screen.getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(createMock).toHaveBeenCalledWith(
      'customer-1',
      expect.objectContaining({
        kind: 'task',
        subject: 'Send the size guide',
        assigneeId: 'u-agent',
        taskType: 'call',
        dueAt: '2026-11-24T09:30',
      }),
      'America/New_York',
      [],
    );
  });

  it('attaches files to a note: refuses what the bucket would, uploads the rest into the notes folder', async () => {
    createMock.mockResolvedValue();
    uploadMock.mockImplementation((customerId, files, folder) =>
      Promise.resolve(
        files.map((file) => ({
          path: `${customerId}/${folder}/x/${file.name}`,
          name: file.name,
          size: file.size,
          mime: file.type,
        })),
      ),
    );
    const { user, onClose } = renderDialog('note');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Her measurements');
    const input = screen.getByLabelText('Attach files (up to 10 MB each)');
    await user.upload(input, new File(['<b>x</b>'], 'page.html', { type: 'text/html' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('page.html: this type of file is not accepted');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(uploadMock).not.toHaveBeenCalled();
    expect(createMock).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Remove page.html' }));
    await user.upload(input, new File(['%PDF'], 'sizes.pdf', { type: 'application/pdf' }));
    expect(screen.getByRole('list', { name: 'Files to attach' })).toHaveTextContent('sizes.pdf');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(uploadMock).toHaveBeenCalledWith('customer-1', [expect.objectContaining({ name: 'sizes.pdf' })], 'notes');
    expect(createMock).toHaveBeenCalledWith(
      'customer-1',
      expect.objectContaining({ kind: 'note', body: 'Her measurements' }),
      'America/New_York',
      [{ path: 'customer-1/notes/x/sizes.pdf', name: 'sizes.pdf', size: 4, mime: 'application/pdf' }],
    );
  });

  it('removes the files it uploaded when the note is refused, and keeps the dialog open', async () => {
    createMock.mockRejectedValue(new Error('network down'));
    uploadMock.mockImplementation((customerId, files, folder) =>
      Promise.resolve(
        files.map((file) => ({
          path: `${customerId}/${folder}/y/${file.name}`,
          name: file.name,
          size: file.size,
          mime: file.type,
        })),
      ),
    );
    const { user, onClose } = renderDialog('note');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Her measurements');
    await user.upload(
      screen.getByLabelText('Attach files (up to 10 MB each)'),
      new File(['%PDF'], 'sizes.pdf', { type: 'application/pdf' }),
    );
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(removeMock).toHaveBeenCalledWith(['customer-1/notes/y/sizes.pdf']));
    expect(onClose).not.toHaveBeenCalled();
  });

  it('switches kind inside the dialog: a call asks for its direction', async () => {
    const { user } = renderDialog('note');
    await user.click(screen.getByRole('radio', { name: 'Call' }));
    expect(screen.getByRole('dialog', { name: 'Log a call' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Direction' })).toHaveValue('outbound');
    await user.click(screen.getByRole('button', { name: 'Log call' }));
    expect(screen.getByRole('textbox', { name: 'Details' })).toHaveAccessibleDescription('Say what the call was about');
  });

  it('keeps the dialog open and says so when saving fails', async () => {
    createMock.mockRejectedValue(new Error('network down'));
    const { user, onClose } = renderDialog('note');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(createMock).toHaveBeenCalled());
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { name: 'Add a note' })).toBeInTheDocument();
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((toast) => toast.message)).toContain(
        'This could not be saved. Check your connection and try again.',
      ),
    );
  });
});

import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { unsubscribe } from '../api/unsubscribe.ts';
import { UnsubscribePanel } from './unsubscribe-panel.tsx';

vi.mock('../api/unsubscribe.ts', () => ({ unsubscribe: vi.fn() }));
const unsubscribeMock = vi.mocked(unsubscribe);

describe('UnsubscribePanel', () => {
  beforeEach(() => unsubscribeMock.mockReset());

  it('says what the link turns off and changes nothing until asked', async () => {
    unsubscribeMock.mockResolvedValue({ ok: true });
    const user = userEvent.setup();
    render(<UnsubscribePanel token="a.b" purpose="email:alerts" linkError={null} />);
    expect(screen.getByText('Stop receiving back-in-stock and price-drop alerts by email?')).toBeInTheDocument();
    expect(unsubscribeMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Unsubscribe' }));
    expect(unsubscribeMock).toHaveBeenCalledWith('a.b');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Done. You will no longer receive back-in-stock and price-drop alerts by email.',
    );
  });

  it('keeps the button when recording fails, with a message to try again', async () => {
    unsubscribeMock.mockResolvedValue({ ok: false, problem: 'failed' });
    const user = userEvent.setup();
    render(<UnsubscribePanel token="a.b" purpose="email:newsletter" linkError={null} />);
    await user.click(screen.getByRole('button', { name: 'Unsubscribe' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('We could not record your choice just now.');
    expect(screen.getByRole('button', { name: 'Unsubscribe' })).toBeEnabled();
  });

  it('explains an expired or broken link instead of offering the button', () => {
    const { rerender } = render(<UnsubscribePanel token={null} purpose={null} linkError="expired" />);
    expect(screen.getByRole('alert')).toHaveTextContent('This unsubscribe link has expired.');
    rerender(<UnsubscribePanel token="a.b" purpose="fax:alerts" linkError={null} key="unknown purpose" />);
    expect(screen.getByRole('alert')).toHaveTextContent('This unsubscribe link is not valid.');
    expect(screen.queryByRole('button', { name: 'Unsubscribe' })).not.toBeInTheDocument();
  });
});

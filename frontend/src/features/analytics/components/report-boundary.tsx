import { Component, type ReactNode } from 'react';

import { ErrorState } from '@/components/ui/error-state.tsx';

interface ReportBoundaryProps {
  title: string;
  description: string;
  children: ReactNode;
}

/**
 * A report that cannot be drawn says so in its own section (the picker, the heading and the rest
 * of the app stay usable) instead of taking the page down. Keyed by the report and its range by
 * the caller, so choosing another report or range tries again.
 */
export class ReportBoundary extends Component<ReportBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('report could not be drawn', error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <ErrorState
        title={this.props.title}
        description={this.props.description}
        onRetry={() => this.setState({ failed: false })}
      />
    );
  }
}

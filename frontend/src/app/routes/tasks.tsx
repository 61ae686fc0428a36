import { useTranslation } from 'react-i18next';

import { TasksScreen } from '@/features/tasks/components/tasks-screen.tsx';

import { SectionPage } from '../layout/section-page.tsx';

/** /tasks: My tasks (and the team's, for those who see every customer). */
export function TasksRoute() {
  const { t } = useTranslation('tasks');
  return (
    <SectionPage title={t('title')}>
      <TasksScreen />
    </SectionPage>
  );
}

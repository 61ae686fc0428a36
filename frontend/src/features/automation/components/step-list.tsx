import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';

import type { FlowChoices } from '../api/choices.ts';
import type { Step } from '../api/flows.ts';
import styles from './automation.module.css';
import { StepFields } from './step-fields.tsx';

/** Where the database refused the flow ("steps.2.then.1", "steps.3.rules") and what it said. */
export interface FlowError {
  path: string;
  message: string;
}

export const STEP_KINDS = [
  'wait',
  'condition',
  'send_template',
  'create_task',
  'assign_owner',
  'add_tag',
  'remove_tag',
  'set_stage',
  'notify',
] as const;

/** A new step of a kind, with the fields it needs (the database checks them when saved). */
export function newStep(kind: string): Step {
  const id = `${kind.replace(/_/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
  const fields: Record<string, Record<string, unknown>> = {
    wait: { days: 1 },
    condition: { rules: { match: 'all', conditions: [] }, then: [], else: [] },
    send_template: { template_key: '' },
    create_task: { subject: '', due_in_days: 1, assignee: 'owner' },
    assign_owner: { mode: 'round_robin', members: [] },
    add_tag: { tag_id: '' },
    remove_tag: { tag_id: '' },
    set_stage: { stage: '' },
    notify: { member: 'owner', title: '' },
  };
  return { id, kind, ...(fields[kind] ?? {}) };
}

function AddStep({ label, disabled, onAdd }: { label: string; disabled: boolean; onAdd: (step: Step) => void }) {
  const { t } = useTranslation('automation');
  const [kind, setKind] = useState<string>('wait');
  if (disabled) return null;
  return (
    <div className={styles.row}>
      <SelectField
        label={label}
        value={kind}
        onChange={(event) => setKind(event.target.value)}
        options={STEP_KINDS.map((value) => ({ value, label: t(`kinds.${value}`) }))}
      />
      <Button variant="secondary" onClick={() => onAdd(newStep(kind))}>
        <Plus aria-hidden="true" size={16} /> {t('editor.addStep')}
      </Button>
    </div>
  );
}

/**
 * A flow's steps as a vertical list, conditions with their "then" and "else" branches nested
 * below them; every change is a button or a field, so the list is usable from the keyboard.
 */
export function StepList({
  steps,
  choices,
  disabled,
  error = null,
  path = 'steps',
  depth = 0,
  onChange,
}: {
  steps: Step[];
  choices: FlowChoices;
  disabled: boolean;
  /** The database's refusal; shown in the step it names. */
  error?: FlowError | null;
  /** This list's place in the flow, as the database names it. */
  path?: string;
  depth?: number;
  onChange: (steps: Step[]) => void;
}) {
  const { t } = useTranslation('automation');
  const replace = (index: number, step: Step) => onChange(steps.map((s, i) => (i === index ? step : s)));
  const move = (index: number, by: number) => {
    const next = [...steps];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + by, 0, moved);
    onChange(next);
  };
  return (
    <div className={styles.editor}>
      {steps.length === 0 ? <p className={styles.status}>{t('editor.noSteps')}</p> : null}
      <ol className={styles.steps}>
        {steps.map((step, index) => {
          const title = `${index + 1}. ${t(`kinds.${step.kind}`, { defaultValue: step.kind })}`;
          const here = `${path}.${index + 1}`;
          const refused = error && (error.path === here || error.path.startsWith(`${here}.rules`)) ? error : null;
          return (
            <li key={step.id} className={styles.step} aria-label={title}>
              <div className={styles.stepHeader}>
                <h3 className={styles.stepTitle}>
                  {title} <span className={styles.status}>({step.id})</span>
                </h3>
                {disabled ? null : (
                  <div className={styles.row}>
                    <Button
                      variant="secondary"
                      disabled={index === 0}
                      aria-label={t('editor.moveUp', { step: title })}
                      onClick={() => move(index, -1)}
                    >
                      <ArrowUp aria-hidden="true" size={16} />
                    </Button>
                    <Button
                      variant="secondary"
                      disabled={index === steps.length - 1}
                      aria-label={t('editor.moveDown', { step: title })}
                      onClick={() => move(index, 1)}
                    >
                      <ArrowDown aria-hidden="true" size={16} />
                    </Button>
                    <Button
                      variant="secondary"
                      aria-label={t('editor.remove', { step: title })}
                      onClick={() => onChange(steps.filter((_, i) => i !== index))}
                    >
                      <Trash2 aria-hidden="true" size={16} />
                    </Button>
                  </div>
                )}
              </div>
              {refused ? (
                <p className={`field-error ${styles.stepError}`}>
                  {t('editor.stepRefused', { message: refused.message.replace(`${refused.path}: `, '') })}
                </p>
              ) : null}
              <div className={styles.row}>
                <StepFields
                  step={step}
                  choices={choices}
                  disabled={disabled}
                  onChange={(next) => replace(index, next)}
                />
              </div>
              {step.kind === 'condition'
                ? (['then', 'else'] as const).map((branch) => (
                    <section key={branch} className={styles.branch} aria-label={`${title}: ${t(`editor.${branch}`)}`}>
                      <h4 className={styles.branchTitle}>{t(`editor.${branch}`)}</h4>
                      <StepList
                        steps={step[branch] ?? []}
                        choices={choices}
                        disabled={disabled}
                        error={error}
                        path={`${here}.${branch}`}
                        depth={depth + 1}
                        onChange={(next) => replace(index, { ...step, [branch]: next })}
                      />
                    </section>
                  ))
                : null}
            </li>
          );
        })}
      </ol>
      <AddStep
        label={depth === 0 ? t('editor.newStep') : t('editor.newBranchStep')}
        disabled={disabled}
        onAdd={(step) => onChange([...steps, step])}
      />
    </div>
  );
}

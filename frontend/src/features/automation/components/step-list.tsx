import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import type { Step } from '../api/flows.ts';
import styles from './automation.module.css';

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
    set_stage: { stage: 'customer' },
    notify: { member: 'owner', title: '' },
  };
  return { id, kind, ...(fields[kind] ?? {}) };
}

/** A field holding a list or an object (rules, members, map, variables) edited as JSON. */
function JsonField({
  label,
  value,
  disabled,
  onChange,
}: {
  label: string;
  value: unknown;
  disabled: boolean;
  onChange: (value: unknown) => void;
}) {
  const { t } = useTranslation('automation');
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [invalid, setInvalid] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className={styles.json}
        value={text}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          try {
            onChange(JSON.parse(event.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
      />
      {invalid ? (
        <p id={`${id}-error`} className={styles.error}>
          {t('editor.invalidJson')}
        </p>
      ) : null}
    </div>
  );
}

function StepFields({ step, disabled, onChange }: { step: Step; disabled: boolean; onChange: (step: Step) => void }) {
  const { t } = useTranslation('automation');
  const fields = Object.entries(step).filter(([key]) => !['id', 'kind', 'then', 'else'].includes(key));
  return (
    <div className={styles.row}>
      {fields.map(([key, value]) => {
        const label = t(`fields.${key}`, { defaultValue: key });
        if (typeof value === 'number') {
          return (
            <TextField
              key={key}
              label={label}
              type="number"
              min={0}
              value={String(value)}
              disabled={disabled}
              onChange={(event) => onChange({ ...step, [key]: Number(event.target.value) })}
            />
          );
        }
        if (typeof value === 'string') {
          return (
            <TextField
              key={key}
              label={label}
              value={value}
              disabled={disabled}
              onChange={(event) => onChange({ ...step, [key]: event.target.value })}
            />
          );
        }
        return (
          <JsonField
            key={key}
            label={label}
            value={value}
            disabled={disabled}
            onChange={(v) => onChange({ ...step, [key]: v })}
          />
        );
      })}
    </div>
  );
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
  disabled,
  depth = 0,
  onChange,
}: {
  steps: Step[];
  disabled: boolean;
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
              <StepFields step={step} disabled={disabled} onChange={(next) => replace(index, next)} />
              {step.kind === 'condition'
                ? (['then', 'else'] as const).map((branch) => (
                    <section key={branch} className={styles.branch} aria-label={`${title}: ${t(`editor.${branch}`)}`}>
                      <h4 className={styles.branchTitle}>{t(`editor.${branch}`)}</h4>
                      <StepList
                        steps={step[branch] ?? []}
                        disabled={disabled}
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

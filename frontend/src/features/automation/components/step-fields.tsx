import { Plus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { RuleBuilder } from '@/components/rule-builder.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { Field } from '@/components/ui/field.tsx';
import { SelectField, type SelectOption } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { fromRules, toRules, type GroupDraft } from '@/lib/segment-rules.ts';

import type { FlowChoices } from '../api/choices.ts';
import type { Step } from '../api/flows.ts';
import { useCreateTag } from '../hooks/use-flow-choices.ts';
import styles from './automation.module.css';

interface FieldsProps {
  step: Step;
  choices: FlowChoices;
  disabled: boolean;
  onChange: (step: Step) => void;
}

/** The step with `key` set, or removed when the value is undefined (an optional field left empty). */
function withField(step: Step, key: string, value: unknown): Step {
  const rest = Object.fromEntries(Object.entries(step).filter(([name]) => name !== key)) as Step;
  return value === undefined ? rest : { ...rest, [key]: value };
}

/** A whole number as typed; empty → undefined, anything else goes to the database, which names the problem. */
const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** Options plus the stored value when the list no longer has it (a removed tag, an inactive member). */
function withCurrent(options: SelectOption[], value: string, label: string): SelectOption[] {
  return value === '' || options.some((option) => option.value === value) ? options : [...options, { value, label }];
}

function useMemberOptions(choices: FlowChoices): SelectOption[] {
  return choices.members.map((member) => ({ value: member.user_id, label: member.full_name ?? member.user_id }));
}

/** A labelled multi-line text. */
function TextArea({
  label,
  value,
  disabled,
  maxLength,
  onChange,
}: {
  label: string;
  value: string;
  disabled: boolean;
  maxLength: number;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} className={styles.wide}>
      {(control) => (
        <textarea
          {...control}
          rows={3}
          value={value}
          disabled={disabled}
          maxLength={maxLength}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * Segment rules edited with the Segments page's builder. The draft lives here (the builder's ids
 * must stay stable while typing); the step holds the JSON the database compiles.
 */
export function RulesField({
  label,
  rules,
  disabled,
  onChange,
}: {
  label: string;
  rules: unknown;
  disabled: boolean;
  onChange: (rules: Record<string, unknown>) => void;
}) {
  const [draft, setDraft] = useState<GroupDraft>(() => fromRules(rules));
  return (
    <div role="group" aria-label={label} className={styles.wide}>
      <RuleBuilder
        rules={draft}
        readOnly={disabled}
        onChange={(next) => {
          setDraft(next);
          onChange(toRules(next));
        }}
      />
    </div>
  );
}

/** A member picker; `owner` adds "the customer's owner" as the first choice. */
function MemberSelect({
  label,
  value,
  choices,
  disabled,
  owner = false,
  none,
  onChange,
}: {
  label: string;
  value: string;
  choices: FlowChoices;
  disabled: boolean;
  owner?: boolean;
  none?: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('automation');
  const members = useMemberOptions(choices);
  const options = [
    ...(none !== undefined ? [{ value: '', label: none }] : []),
    ...(owner ? [{ value: 'owner', label: t('editor.customerOwner') }] : []),
    ...(none === undefined && !owner && value === '' ? [{ value: '', label: t('editor.chooseMember') }] : []),
    ...members,
  ];
  return (
    <SelectField
      label={label}
      value={value}
      disabled={disabled}
      options={withCurrent(options, value, t('editor.unavailableMember'))}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** A tag picker that also takes a new tag's name (created at once, then picked). */
export function TagPicker({
  label,
  value,
  choices,
  disabled,
  onChange,
}: {
  label: string;
  value: string;
  choices: FlowChoices;
  disabled: boolean;
  onChange: (tagId: string) => void;
}) {
  const { t } = useTranslation('automation');
  const create = useCreateTag();
  const [name, setName] = useState('');
  const options = [
    { value: '', label: t('editor.chooseTag') },
    ...choices.tags.map((tag) => ({ value: tag.id, label: tag.name })),
  ];
  const add = () => {
    if (name.trim() === '') return;
    create.mutate(name, {
      onSuccess: (tag) => {
        setName('');
        onChange(tag.id);
      },
    });
  };
  return (
    <>
      <SelectField
        label={label}
        value={value}
        disabled={disabled}
        options={withCurrent(options, value, t('editor.unavailableTag'))}
        onChange={(event) => onChange(event.target.value)}
      />
      {disabled ? null : (
        <>
          <TextField
            label={t('editor.newTag')}
            value={name}
            maxLength={50}
            error={create.isError ? t('editor.tagFailed', { message: create.error.message }) : undefined}
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
          <Button
            variant="secondary"
            disabled={name.trim() === ''}
            pending={create.isPending}
            pendingLabel={t('editor.creatingTag')}
            onClick={add}
          >
            <Plus aria-hidden="true" size={16} /> {t('editor.createTag')}
          </Button>
        </>
      )}
    </>
  );
}

/** Rows of two values (code → member, variable → value) as an object; incomplete rows are not saved. */
function usePairs(initial: unknown) {
  const [rows, setRows] = useState<Array<{ key: string; value: string }>>(() =>
    Object.entries((initial ?? {}) as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value) })),
  );
  const toObject = (next: typeof rows) =>
    Object.fromEntries(
      next.filter((row) => row.key.trim() !== '' && row.value !== '').map((row) => [row.key.trim(), row.value]),
    );
  const duplicates = new Set(
    rows.map((row) => row.key.trim()).filter((key, index, all) => key !== '' && all.indexOf(key) !== index),
  );
  return { rows, setRows, toObject, duplicates };
}

function AssignOwnerFields({ step, choices, disabled, onChange }: FieldsProps) {
  const { t } = useTranslation('automation');
  const mode = String(step.mode ?? 'round_robin');
  const chosen = Array.isArray(step.members) ? step.members.map(String) : [];
  const pairs = usePairs(step.map);
  const legendId = useId();
  const byCountry = mode === 'by_country';
  const codes = (byCountry ? choices.countries : choices.languages).map((item) => ({
    value: item.code,
    label: `${item.name} (${item.code})`,
  }));
  const setRows = (rows: typeof pairs.rows) => {
    pairs.setRows(rows);
    onChange({ ...step, map: pairs.toObject(rows) });
  };
  const switchMode = (next: string) => {
    const kept = step.only_if_unassigned === undefined ? {} : { only_if_unassigned: step.only_if_unassigned };
    pairs.setRows([]);
    onChange(
      next === 'round_robin'
        ? { id: step.id, kind: step.kind, mode: next, members: [], ...kept }
        : { id: step.id, kind: step.kind, mode: next, map: {}, ...kept },
    );
  };

  return (
    <>
      <SelectField
        label={t('fields.mode')}
        value={mode}
        disabled={disabled}
        options={(['round_robin', 'by_country', 'by_language'] as const).map((value) => ({
          value,
          label: t(`modes.${value}`),
        }))}
        onChange={(event) => switchMode(event.target.value)}
      />
      <Checkbox
        label={t('fields.only_if_unassigned')}
        checked={step.only_if_unassigned === true}
        disabled={disabled}
        onChange={(event) => onChange(withField(step, 'only_if_unassigned', event.target.checked || undefined))}
      />
      {mode === 'round_robin' ? (
        <fieldset className={`${styles.choices} ${styles.wide}`} disabled={disabled}>
          <legend>{t('editor.roundRobinMembers')}</legend>
          {choices.members.length === 0 ? <p className={styles.status}>{t('editor.noMembers')}</p> : null}
          {choices.members.map((member) => (
            <Checkbox
              key={member.user_id}
              label={member.full_name ?? member.user_id}
              checked={chosen.includes(member.user_id)}
              onChange={(event) =>
                onChange({
                  ...step,
                  members: event.target.checked
                    ? [...chosen, member.user_id]
                    : chosen.filter((id) => id !== member.user_id),
                })
              }
            />
          ))}
        </fieldset>
      ) : (
        <div className={styles.wide} role="group" aria-labelledby={legendId}>
          <p id={legendId} className={styles.groupTitle}>
            {byCountry ? t('editor.mapByCountry') : t('editor.mapByLanguage')}
          </p>
          {pairs.rows.length === 0 ? <p className={styles.status}>{t('editor.noRows')}</p> : null}
          <ol className={styles.pairs}>
            {pairs.rows.map((row, index) => {
              const position = index + 1;
              const duplicate = pairs.duplicates.has(row.key.trim());
              return (
                <li key={index} className={styles.row}>
                  <SelectField
                    label={byCountry ? t('editor.country', { position }) : t('editor.language', { position })}
                    value={row.key}
                    disabled={disabled}
                    error={duplicate ? t('editor.duplicateCode', { code: row.key }) : undefined}
                    options={withCurrent([{ value: '', label: t('editor.choose') }, ...codes], row.key, row.key)}
                    onChange={(event) =>
                      setRows(pairs.rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))
                    }
                  />
                  <MemberSelect
                    label={t('editor.memberFor', { position })}
                    value={row.value}
                    choices={choices}
                    disabled={disabled}
                    onChange={(value) => setRows(pairs.rows.map((r, i) => (i === index ? { ...r, value } : r)))}
                  />
                  {disabled ? null : (
                    <Button
                      variant="secondary"
                      aria-label={t('editor.removeRow', { position })}
                      onClick={() => setRows(pairs.rows.filter((_, i) => i !== index))}
                    >
                      <Trash2 aria-hidden="true" size={16} />
                    </Button>
                  )}
                </li>
              );
            })}
          </ol>
          {disabled ? null : (
            <Button variant="secondary" onClick={() => pairs.setRows([...pairs.rows, { key: '', value: '' }])}>
              <Plus aria-hidden="true" size={16} /> {t('editor.addRow')}
            </Button>
          )}
          <MemberSelect
            label={t('fields.fallback')}
            value={typeof step.fallback === 'string' ? step.fallback : ''}
            choices={choices}
            disabled={disabled}
            none={t('editor.noFallback')}
            onChange={(value) => onChange(withField(step, 'fallback', value === '' ? undefined : value))}
          />
        </div>
      )}
    </>
  );
}

function VariablesFields({ step, disabled, onChange }: Omit<FieldsProps, 'choices'>) {
  const { t } = useTranslation('automation');
  const pairs = usePairs(step.variables);
  const titleId = useId();
  const setRows = (rows: typeof pairs.rows) => {
    pairs.setRows(rows);
    const variables = pairs.toObject(rows);
    onChange(withField(step, 'variables', Object.keys(variables).length ? variables : undefined));
  };
  return (
    <div className={styles.wide} role="group" aria-labelledby={titleId}>
      <p id={titleId} className={styles.groupTitle}>
        {t('editor.variables')}
      </p>
      <ol className={styles.pairs}>
        {pairs.rows.map((row, index) => {
          const position = index + 1;
          return (
            <li key={index} className={styles.row}>
              <TextField
                label={t('editor.variableName', { position })}
                value={row.key}
                disabled={disabled}
                maxLength={60}
                error={
                  pairs.duplicates.has(row.key.trim()) ? t('editor.duplicateVariable', { name: row.key }) : undefined
                }
                onChange={(event) =>
                  setRows(pairs.rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))
                }
              />
              <TextField
                label={t('editor.variableValue', { position })}
                value={row.value}
                disabled={disabled}
                maxLength={2000}
                onChange={(event) =>
                  setRows(pairs.rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))
                }
              />
              {disabled ? null : (
                <Button
                  variant="secondary"
                  aria-label={t('editor.removeVariable', { position })}
                  onClick={() => setRows(pairs.rows.filter((_, i) => i !== index))}
                >
                  <Trash2 aria-hidden="true" size={16} />
                </Button>
              )}
            </li>
          );
        })}
      </ol>
      {disabled ? null : (
        <Button variant="secondary" onClick={() => pairs.setRows([...pairs.rows, { key: '', value: '' }])}>
          <Plus aria-hidden="true" size={16} /> {t('editor.addVariable')}
        </Button>
      )}
    </div>
  );
}

function WaitFields({ step, disabled, onChange }: Omit<FieldsProps, 'choices'>) {
  const { t } = useTranslation('automation');
  return (
    <>
      {(['days', 'hours', 'minutes'] as const).map((key) => (
        <TextField
          key={key}
          label={t(`fields.${key}`)}
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={step[key] === undefined ? '' : String(step[key])}
          disabled={disabled}
          onChange={(event) => onChange(withField(step, key, numberOrUndefined(event.target.value)))}
        />
      ))}
      <TextField
        label={t('fields.until_local')}
        type="time"
        value={typeof step.until_local === 'string' ? step.until_local : ''}
        disabled={disabled}
        onChange={(event) => onChange(withField(step, 'until_local', event.target.value || undefined))}
      />
    </>
  );
}

/** The controls of one step, by its kind: pickers for members, templates, tags and stages; the rule builder for conditions. */
export function StepFields({ step, choices, disabled, onChange }: FieldsProps) {
  const { t } = useTranslation('automation');
  const text = (key: string) => (typeof step[key] === 'string' ? (step[key] as string) : '');
  switch (step.kind) {
    case 'wait':
      return <WaitFields step={step} disabled={disabled} onChange={onChange} />;
    case 'condition':
      return (
        <RulesField
          label={t('editor.conditionRules')}
          rules={step.rules}
          disabled={disabled}
          onChange={(rules) => onChange({ ...step, rules })}
        />
      );
    case 'send_template': {
      const options = [
        { value: '', label: t('editor.chooseTemplate') },
        ...choices.templates.map((template) => ({
          value: template.key,
          label: t('editor.templateOption', { name: template.name, purpose: t(`purposes.${template.purpose}`) }),
        })),
      ];
      return (
        <>
          <SelectField
            label={t('fields.template_key')}
            value={text('template_key')}
            disabled={disabled}
            options={withCurrent(
              options,
              text('template_key'),
              t('editor.unavailableTemplate', { key: text('template_key') }),
            )}
            onChange={(event) => onChange({ ...step, template_key: event.target.value })}
          />
          <VariablesFields step={step} disabled={disabled} onChange={onChange} />
        </>
      );
    }
    case 'create_task':
      return (
        <>
          <TextField
            label={t('fields.subject')}
            value={text('subject')}
            disabled={disabled}
            maxLength={300}
            onChange={(event) => onChange({ ...step, subject: event.target.value })}
          />
          <TextField
            label={t('fields.due_in_days')}
            type="number"
            min={0}
            max={365}
            value={step.due_in_days === undefined ? '' : String(step.due_in_days)}
            disabled={disabled}
            onChange={(event) => onChange(withField(step, 'due_in_days', numberOrUndefined(event.target.value)))}
          />
          <MemberSelect
            label={t('fields.assignee')}
            value={text('assignee') || 'owner'}
            choices={choices}
            disabled={disabled}
            owner
            onChange={(assignee) => onChange({ ...step, assignee })}
          />
          <TextArea
            label={t('fields.body')}
            value={text('body')}
            disabled={disabled}
            maxLength={20000}
            onChange={(body) => onChange(withField(step, 'body', body || undefined))}
          />
        </>
      );
    case 'assign_owner':
      return <AssignOwnerFields step={step} choices={choices} disabled={disabled} onChange={onChange} />;
    case 'add_tag':
    case 'remove_tag':
      return (
        <TagPicker
          label={t('fields.tag_id')}
          value={text('tag_id')}
          choices={choices}
          disabled={disabled}
          onChange={(tagId) => onChange({ ...step, tag_id: tagId })}
        />
      );
    case 'set_stage':
      return (
        <SelectField
          label={t('fields.stage')}
          value={text('stage')}
          disabled={disabled}
          options={withCurrent(
            [
              { value: '', label: t('editor.chooseStage') },
              ...choices.stages.map((stage) => ({ value: stage.key, label: stage.label })),
            ],
            text('stage'),
            text('stage'),
          )}
          onChange={(event) => onChange({ ...step, stage: event.target.value })}
        />
      );
    case 'notify':
      return (
        <>
          <MemberSelect
            label={t('fields.member')}
            value={text('member') || 'owner'}
            choices={choices}
            disabled={disabled}
            owner
            onChange={(member) => onChange({ ...step, member })}
          />
          <TextField
            label={t('fields.title')}
            value={text('title')}
            disabled={disabled}
            maxLength={200}
            onChange={(event) => onChange({ ...step, title: event.target.value })}
          />
          <TextArea
            label={t('fields.body')}
            value={text('body')}
            disabled={disabled}
            maxLength={2000}
            onChange={(body) => onChange(withField(step, 'body', body || undefined))}
          />
        </>
      );
    default:
      return <p className={styles.status}>{t('editor.unknownKind', { kind: step.kind })}</p>;
  }
}

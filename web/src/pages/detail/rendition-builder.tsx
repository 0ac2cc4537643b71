import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { useConfig } from '../../config';
import type { CreatedRendition, ImageDetail } from '../../types';
import { Section } from './panels';
import {
  type BuilderFields,
  EMPTY_FIELDS,
  FITS,
  fieldOfProblem,
  fieldsOfPreset,
  filterInput,
  rangeText,
  requestOf,
} from './rendition-form';
import { RenditionResult } from './rendition-result';

/*
 * Make a rendition of the image: size, fit, format, one filter, from a preset or from scratch. The API signs the
 * spec (POST /images/{id}/renditions); the signed URL is shown with the image it makes. What the API refuses (a 400
 * naming the field and the limit) is shown beside the form, the field it names marked.
 */

const PROBLEM_ID = 'builder-problem';

export function RenditionBuilder({ record }: { record: ImageDetail }) {
  const limits = useConfig().renditions;
  const presets = Object.entries(record.renditions ?? {});
  const [fields, setFields] = useState<BuilderFields>(EMPTY_FIELDS);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [made, setMade] = useState<CreatedRendition>();
  const set = (name: keyof BuilderFields) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setFields((now) => ({ ...now, [name]: value, ...(name === 'filter' ? { amount: '' } : {}) }));
  };
  const choosePreset = (name: string) => {
    const url = record.renditions?.[name]?.url;
    setFields(name && url ? fieldsOfPreset(name, url, limits.filters) : EMPTY_FIELDS);
  };
  const invalid = problem ? fieldOfProblem(problem, fields) : undefined;
  /** The attributes that tie a field to the API's message about it. */
  const marked = (name: keyof BuilderFields) =>
    invalid === name ? { 'aria-invalid': true, 'aria-describedby': PROBLEM_ID } : {};
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const signed = await api.createRendition(record.imageId, requestOf(fields));
      setMade(signed);
    } catch (error) {
      // The last result is not this request's: shown beside its refusal, it would read as what the form made.
      setMade(undefined);
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const input = fields.filter ? filterInput(fields.filter) : undefined;
  const sizeHint = `whole pixels; w or h times dpr at most ${limits.maxSide}`;
  return (
    <Section title="Make a rendition" wide>
      <form
        class="builder"
        aria-label="Make a rendition"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label class="field">
          Start from
          <select value={fields.preset} onChange={(event) => choosePreset(event.currentTarget.value)}>
            <option value="">No preset</option>
            {presets.map(([name]) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Width
          <input type="number" min={1} step={1} value={fields.w} onInput={set('w')} title={sizeHint} {...marked('w')} />
        </label>
        <label class="field">
          Height
          <input type="number" min={1} step={1} value={fields.h} onInput={set('h')} title={sizeHint} {...marked('h')} />
        </label>
        <label class="field">
          Fit
          <select value={fields.fit} onChange={set('fit')} {...marked('fit')}>
            <option value="">{fields.preset ? 'the preset’s' : 'cover (default)'}</option>
            {FITS.map((fit) => (
              <option key={fit}>{fit}</option>
            ))}
          </select>
        </label>
        <label class="field">
          Pixel ratio
          <input
            type="number"
            min={1}
            max={limits.maxDpr}
            step="any"
            placeholder="1"
            value={fields.dpr}
            onInput={set('dpr')}
            {...marked('dpr')}
          />
        </label>
        <label class="field">
          Format
          <select value={fields.format} onChange={set('format')} {...marked('format')}>
            <option value="">{fields.preset ? 'the preset’s' : 'auto (default)'}</option>
            <option value="auto">auto</option>
            {limits.formats.map((format) => (
              <option key={format}>{format}</option>
            ))}
          </select>
        </label>
        {limits.filters.length > 0 && (
          <label class="field">
            Filter
            <select value={fields.filter} onChange={set('filter')}>
              <option value="">None</option>
              {limits.filters.map((filter) => (
                <option key={filter}>{filter}</option>
              ))}
            </select>
          </label>
        )}
        {input?.kind === 'range' && (
          <label class="field">
            {`Amount (${rangeText(input.range)})`}
            <input
              type="number"
              required
              min={input.range.min}
              max={input.range.max}
              step={input.range.whole ? 1 : 'any'}
              value={fields.amount}
              onInput={set('amount')}
              {...marked('amount')}
            />
          </label>
        )}
        {input?.kind === 'choice' && (
          <label class="field">
            {fields.filter === 'median' ? 'Size' : 'Kernel'}
            <select required value={fields.amount} onChange={set('amount')} {...marked('amount')}>
              <option value="">Choose…</option>
              {input.values.map((value) => (
                <option key={value}>{String(value)}</option>
              ))}
            </select>
          </label>
        )}
        <div class="builder-actions">
          <button type="submit" disabled={busy}>
            Make rendition
          </button>
        </div>
      </form>
      <p class="muted builder-hint">
        Sizes in CSS pixels (the pixel ratio multiplies them, up to {limits.maxDpr}); the largest side is{' '}
        {limits.maxSide} device pixels. An empty field takes {fields.preset ? 'the preset’s value' : 'its default'}.
      </p>
      {problem && (
        <p class="error" role="alert" id={PROBLEM_ID}>
          {problem}
        </p>
      )}
      {made?.capped && (
        <p class="warning" role="note">
          {`The image is smaller than the size asked for, and renditions do not enlarge: this one is ${made.width} × ${made.height} px, the most it has.`}
        </p>
      )}
      {made && <RenditionResult key={made.url} url={made.url} expiresAt={made.expiresAt} />}
    </Section>
  );
}

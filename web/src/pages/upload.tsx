import { useRef, useState } from 'preact/hooks';
import { appPath, useConfig } from '../config';
import { formatBytes } from '../format';
import { splitTags, TAG_LIMITS, tagsProblem } from './upload/tags';
import {
  acceptList,
  addFiles,
  clearFinished,
  DONE,
  RAW_BY_EXTENSION,
  type Row,
  type RowStatus,
  resolveDuplicate,
  send,
  useRows,
} from './upload/uploads';

/** A type as people know it: its subtype, or a camera RAW type's extension (`image/x-nikon-nef` is NEF). */
function typeName(type: string): string {
  const raw = Object.entries(RAW_BY_EXTENSION).find(([, each]) => each === type)?.[0];
  return (raw ?? type.replace('image/', '')).toUpperCase();
}

export function Upload() {
  const config = useConfig();
  const current = useRows();
  const [dragging, setDragging] = useState(false);
  const [tagText, setTagText] = useState('');
  const [held, setHeld] = useState(false);
  const tagInput = useRef<HTMLInputElement>(null);
  const tags = splitTags(tagText);
  const problem = tagsProblem(tags);
  const finished = current.filter((row) => DONE.includes(row.status)).length;
  /** Send the files with the tags, unless the tags are bad: then nothing is sent and the field says why. */
  const add = (files: File[]) => {
    if (problem) {
      setHeld(true);
      tagInput.current?.focus();
      return;
    }
    setHeld(false);
    addFiles(files, config, tags);
  };
  return (
    <section>
      <h1>Upload</h1>
      <div class="field tags-field">
        <label for="upload-tags">Tags</label>
        <input
          id="upload-tags"
          ref={tagInput}
          type="text"
          autocomplete="off"
          placeholder="holiday, beach"
          value={tagText}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'tags-problem tags-hint' : 'tags-hint'}
          onInput={(event) => {
            setTagText(event.currentTarget.value);
            setHeld(false);
          }}
        />
        <p id="tags-hint" class="muted">
          Optional, separated by commas: at most {TAG_LIMITS.maxTags}, each at most {TAG_LIMITS.maxTagChars} characters.
          They go with each file chosen next; change them later on each image's page, under Tags.
        </p>
        {/* A new element when files were held back, so screen readers announce the alert. */}
        {problem &&
          (held ? (
            <p key="held" id="tags-problem" class="error" role="alert">
              Nothing was uploaded: {problem}
            </p>
          ) : (
            <p key="typed" id="tags-problem" class="error">
              {problem}
            </p>
          ))}
      </div>
      <section
        aria-label="Drop images here"
        class={`drop${dragging ? ' dragging' : ''}`}
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (event.dataTransfer?.files.length) add(Array.from(event.dataTransfer.files));
        }}
      >
        <label for="files" class="drop-label">
          Upload images
        </label>
        <input
          id="files"
          type="file"
          multiple
          accept={acceptList(config.allowedTypes)}
          aria-describedby="upload-hint"
          onChange={(event) => {
            const input = event.currentTarget;
            if (input.files?.length) add(Array.from(input.files));
            input.value = '';
          }}
        />
        <p id="upload-hint" class="muted">
          Choose files or drop them here. Up to {formatBytes(config.maxUploadBytes)} each
          {config.allowedTypes.some((type) => Object.values(RAW_BY_EXTENSION).includes(type)) &&
            ` (camera RAW: ${formatBytes(config.maxRawUploadBytes)})`}
          {config.allowedTypes.length > 0 && `; ${config.allowedTypes.map(typeName).join(', ')}`}.
        </p>
      </section>
      {current.length > 0 && (
        <>
          <h2>Files</h2>
          <ul class="uploads" aria-label="Uploads">
            {current.map((row) => (
              <UploadRow key={row.key} row={row} />
            ))}
          </ul>
          {finished > 0 && (
            <button type="button" class="secondary" onClick={clearFinished}>
              Clear finished
            </button>
          )}
        </>
      )}
    </section>
  );
}

const WORDS: Record<RowStatus, string> = {
  refused: 'Refused',
  waiting: 'Waiting',
  uploading: 'Uploading',
  PENDING: 'Processing',
  PROCESSED: 'Processed',
  REJECTED: 'Rejected',
  FAILED: 'Failed',
  TRASHED: 'In the trash',
  duplicate: 'Already uploaded',
  skipped: 'Skipped',
  error: 'Upload failed',
};

function UploadRow({ row }: { row: Row }) {
  const name = row.file.name || 'unnamed file';
  return (
    <li class="upload" data-status={row.status} data-image-id={row.imageId}>
      <Preview key={row.preview} src={row.preview} name={name} type={row.contentType} />
      <div class="upload-body">
        <div class="upload-head">
          {row.imageId && row.status !== 'uploading' && row.status !== 'error' ? (
            <a class="upload-name" href={appPath(`images/${row.imageId}`)}>
              {name}
            </a>
          ) : (
            <span class="upload-name">{name}</span>
          )}
          <span class="muted">{formatBytes(row.file.size)}</span>
        </div>
        {row.tags.length > 0 && <p class="upload-tags muted">Tags: {row.tags.join(', ')}</p>}
        <p class="upload-status" role="status">
          <span class={`badge ${row.status.toLowerCase()}`}>{WORDS[row.status]}</span>
          {row.message && <span> {row.message}</span>}
        </p>
        {row.duplicateOf && (
          <p class="duplicate-note">
            You already have this image: <a href={appPath(`images/${row.duplicateOf}`)}>the earlier upload</a>.
          </p>
        )}
        {row.status === 'duplicate' && <DuplicateChoice row={row} name={name} />}
        {(row.status === 'waiting' || row.status === 'uploading') && (
          <progress aria-label={`Sending ${name}`} max={row.file.size} value={row.loaded} />
        )}
        {row.status === 'PENDING' && <progress aria-label={`Processing ${name}`} />}
        {row.status === 'error' && (
          <button type="button" onClick={() => void send(row.key)}>
            Retry
          </button>
        )}
      </div>
    </li>
  );
}

/** Asked per duplicate: upload it again anyway, or leave it out (nothing was stored). */
function DuplicateChoice({ row, name }: { row: Row; name: string }) {
  return (
    <fieldset class="duplicate-choice" aria-label={`${name} is already uploaded`}>
      <button type="button" onClick={() => resolveDuplicate(row.key, 'keep')}>
        Keep both
      </button>
      <button type="button" class="secondary" onClick={() => resolveDuplicate(row.key, 'skip')}>
        Skip
      </button>
    </fieldset>
  );
}

/**
 * The file as it will be seen (the local file, then its thumbnail); while there is nothing a browser can draw (a
 * HEIC or a TIFF before its thumbnail, a file refused), a tile that says what kind of file it is.
 */
function Preview({ src, name, type }: { src?: string; name: string; type: string }) {
  const [broken, setBroken] = useState(false);
  if (src && !broken) {
    return (
      <span class="upload-preview">
        <img src={src} alt={`Preview of ${name}`} onError={() => setBroken(true)} />
      </span>
    );
  }
  // By its extension, as the user knows it (Chromium types a .heic `image/heif`); else by its type.
  const kind = ((name.includes('.') ? name.split('.').pop() : '') || type.split('/')[1] || 'file').toUpperCase();
  return (
    <span class="upload-preview generic" role="img" aria-label={`No preview of ${name} (${kind})`}>
      {kind}
    </span>
  );
}

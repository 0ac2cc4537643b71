import { useState } from 'preact/hooks';
import { appPath, useConfig } from '../config';
import { formatBytes } from '../format';

import { addFiles, clearFinished, DONE, type Row, type RowStatus, send, useRows } from './upload/uploads';

export function Upload() {
  const config = useConfig();
  const current = useRows();
  const [dragging, setDragging] = useState(false);
  const finished = current.filter((row) => DONE.includes(row.status)).length;
  return (
    <section>
      <h1>Upload</h1>
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
          if (event.dataTransfer?.files.length) addFiles(Array.from(event.dataTransfer.files), config);
        }}
      >
        <label for="files" class="drop-label">
          Upload images
        </label>
        <input
          id="files"
          type="file"
          multiple
          accept={config.allowedTypes.join(',') || 'image/*'}
          aria-describedby="upload-hint"
          onChange={(event) => {
            const input = event.currentTarget;
            if (input.files?.length) addFiles(Array.from(input.files), config);
            input.value = '';
          }}
        />
        <p id="upload-hint" class="muted">
          Choose files or drop them here. Up to {formatBytes(config.maxUploadBytes)} each
          {config.allowedTypes.length > 0 &&
            `; ${config.allowedTypes.map((type) => type.replace('image/', '').toUpperCase()).join(', ')}`}
          .
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
  error: 'Upload failed',
};

function UploadRow({ row }: { row: Row }) {
  const name = row.file.name || 'unnamed file';
  return (
    <li class="upload" data-status={row.status} data-image-id={row.imageId}>
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
      <p class="upload-status" role="status">
        <span class={`badge ${row.status.toLowerCase()}`}>{WORDS[row.status]}</span>
        {row.message && <span> {row.message}</span>}
      </p>
      {row.duplicateOf && (
        <p class="duplicate-note">
          You already have this image: <a href={appPath(`images/${row.duplicateOf}`)}>the earlier upload</a>.
        </p>
      )}
      {(row.status === 'waiting' || row.status === 'uploading') && (
        <progress aria-label={`Sending ${name}`} max={row.file.size} value={row.loaded} />
      )}
      {row.status === 'PENDING' && <progress aria-label={`Processing ${name}`} />}
      {row.status === 'error' && (
        <button type="button" onClick={() => void send(row.key)}>
          Retry
        </button>
      )}
    </li>
  );
}

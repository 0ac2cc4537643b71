import { api } from '../../api';
import { appPath } from '../../config';
import { ConfirmedDelete } from '../../confirmed-delete';
import { displayName } from '../../format';
import type { ImageDetail } from '../../types';

/* Delete, behind a confirmation dialog; back to the gallery once done. */

export function DeleteButton({ record }: { record: ImageDetail }) {
  return (
    <ConfirmedDelete
      id="delete"
      title="Delete this image?"
      text={`${displayName(record)} and its thumbnails and renditions are removed for good.`}
      confirm="Delete"
      remove={() => api.deleteImage(record.imageId)}
      then={appPath()}
      replace
    />
  );
}

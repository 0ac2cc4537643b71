import type { WebConfig } from './config';
import { ApiError } from './errors';
import type { Auth } from './signer';
import type {
  Album,
  AlbumChange,
  AlbumCreate,
  AlbumImagesAdded,
  AlbumImagesRemoved,
  AlbumList,
  AlbumMember,
  AlbumMemberChange,
  AlbumPage,
  ArchivedChange,
  BackfillPage,
  BackfillRequest,
  BackfillRun,
  CreatedRendition,
  CreatedShare,
  CropChange,
  DateTakenChange,
  DuplicatesDismissed,
  DuplicatesPage,
  DuplicatesResolve,
  DuplicatesResolved,
  DuplicateUpload,
  EmptyingTrash,
  FaceAssigned,
  FaceAssignment,
  FaceDrawing,
  FacesRemoved,
  FavouriteChange,
  GrantPartner,
  ImageAlbums,
  ImageArchived,
  ImageCrop,
  ImageDateTaken,
  ImageDateTakenCleared,
  ImageDetail,
  ImageFavourite,
  ImageLabels,
  ImageLocked,
  ImagePage,
  ImagePlace,
  ImageRotation,
  ImageTags,
  LabelChange,
  LockedChange,
  PartnerGrant,
  PartnerList,
  PeopleMerge,
  Person,
  PersonChange,
  PersonPage,
  PinChange,
  PinSet,
  PinState,
  PlaceChange,
  PlaceSuggestions,
  PlacesPage,
  RenditionRequest,
  RestoredImage,
  RotationChange,
  SharePage,
  ShareRequest,
  SimilarPage,
  Stack,
  StackCreate,
  StackPrimary,
  StartedBackfill,
  SuggestionsPage,
  TagChange,
  TrashedImage,
  Unlocked,
  UploadRequest,
  UploadTicket,
  WebhookChange,
  WebhookCreate,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookList,
  WebhookReplay,
  WebhookReplayAnswer,
  WebhookWithSecret,
} from './types';

export { ApiError, errorMessage } from './errors';

let apiUrl = '';
let auth: Auth | undefined;

export function initApi(config: WebConfig, signer: Auth): void {
  apiUrl = config.apiUrl;
  auth = signer;
}

type Query = URLSearchParams | Record<string, string | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  if (query instanceof URLSearchParams) {
    for (const [key, value] of query) params.append(key, value);
  } else {
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; signal?: AbortSignal; unlockToken?: string; lockedFolder?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(await auth?.headers()) };
  if (options.unlockToken) headers['x-unlock-token'] = options.unlockToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${withQuery(path, options.query)}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The API could not be reached (network error).');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message =
      body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : `HTTP ${response.status}`;
    // The locked folder's 403s (a wrong PIN, a missing or expired unlock token) are not the credential's.
    const folders = options.lockedFolder === true && response.status === 403 && /locked/i.test(message);
    if ((response.status === 401 || response.status === 403) && !folders) void auth?.rejected();
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, message, retry > 0 ? retry : undefined);
  }
  return body as T;
}

/**
 * What `GET /images?limit=1` answers with these headers: its status (0: no answer), and whether the API takes the
 * caller for an admin (its `X-Image-Intel-Admin` header, lambdas/api/http.ts): every answer says so, so nothing asks
 * an admin-only route to find out and logs its 403.
 */
export async function probe(headers: Record<string, string>): Promise<{ status: number; admin: boolean }> {
  try {
    const response = await fetch(`${apiUrl}/images?limit=1`, { headers: { accept: 'application/json', ...headers } });
    return { status: response.status, admin: response.headers.get('x-image-intel-admin') === 'true' };
  } catch {
    return { status: 0, admin: false };
  }
}

export const api = {
  listImages: (query: URLSearchParams, signal?: AbortSignal) => request<ImagePage>('GET', '/images', { query, signal }),
  /** With an unlock token, a photo of the locked folder too (without, its 403 says so). */
  getImage: (id: string, signal?: AbortSignal, unlockToken?: string) =>
    request<ImageDetail>('GET', `/images/${encodeURIComponent(id)}`, { signal, unlockToken, lockedFolder: true }),
  deleteImage: (id: string) => request<void>('DELETE', `/images/${encodeURIComponent(id)}`),
  /** With the trash on, DELETE moves the image there (200, when it is purged); with it off it deletes (204). */
  trashImage: (id: string) => request<TrashedImage | undefined>('DELETE', `/images/${encodeURIComponent(id)}`),
  deleteForGood: (id: string) =>
    request<void>('DELETE', `/images/${encodeURIComponent(id)}`, {
      query: new URLSearchParams({ permanently: 'true' }),
    }),
  restoreImage: (id: string) => request<RestoredImage>('POST', `/images/${encodeURIComponent(id)}/restore`),
  emptyTrash: () => request<EmptyingTrash>('POST', '/trash/empty'),
  similar: (id: string, signal?: AbortSignal) =>
    request<SimilarPage>('GET', `/images/${encodeURIComponent(id)}/similar`, { query: { limit: '12' }, signal }),
  correctLabels: (id: string, change: LabelChange) =>
    request<ImageLabels>('PATCH', `/images/${encodeURIComponent(id)}/labels`, { body: change }),
  correctPlace: (id: string, change: PlaceChange) =>
    request<ImagePlace>('PUT', `/images/${encodeURIComponent(id)}/place`, { body: change }),
  /** Drops the owner's correction: the place is the photo's GPS's again. */
  resetPlace: (id: string) => request<ImagePlace>('DELETE', `/images/${encodeURIComponent(id)}/place`),
  /** An owner's edits (docs/api.md "Edits"): tags, the date taken (or back to the photo's own), a favourite. */
  editTags: (id: string, change: TagChange) =>
    request<ImageTags>('PATCH', `/images/${encodeURIComponent(id)}/tags`, { body: change }),
  setDateTaken: (id: string, change: DateTakenChange) =>
    request<ImageDateTaken>('PUT', `/images/${encodeURIComponent(id)}/taken`, { body: change }),
  clearDateTaken: (id: string) => request<ImageDateTakenCleared>('DELETE', `/images/${encodeURIComponent(id)}/taken`),
  setFavourite: (id: string, change: FavouriteChange) =>
    request<ImageFavourite>('PUT', `/images/${encodeURIComponent(id)}/favourite`, { body: change }),
  /** Out of the timeline and the default list (`archived=true` lists it), or back. */
  setArchived: (id: string, change: ArchivedChange) =>
    request<ImageArchived>('PUT', `/images/${encodeURIComponent(id)}/archived`, { body: change }),
  /** Into the locked folder (out of every other list, album and link), or back out. */
  setLocked: (id: string, change: LockedChange) =>
    request<ImageLocked>('PUT', `/images/${encodeURIComponent(id)}/locked`, { body: change }),
  /** Whether the caller has set a PIN (nothing of it). */
  pinState: (signal?: AbortSignal) => request<PinState>('GET', '/locked/pin', { signal }),
  setPin: (body: PinChange) => request<PinSet>('PUT', '/locked/pin', { body, lockedFolder: true }),
  unlock: (pin: string) => request<Unlocked>('POST', '/locked/unlock', { body: { pin }, lockedFolder: true }),
  listLocked: (query: URLSearchParams, unlockToken: string, signal?: AbortSignal) =>
    request<ImagePage>('GET', '/images', { query, signal, unlockToken, lockedFolder: true }),
  rotateImage: (id: string, change: RotationChange) =>
    request<ImageRotation>('PUT', `/images/${encodeURIComponent(id)}/rotation`, { body: change }),
  cropImage: (id: string, change: CropChange) =>
    request<ImageCrop>('PUT', `/images/${encodeURIComponent(id)}/crop`, { body: change }),
  uncropImage: (id: string) => request<ImageCrop>('DELETE', `/images/${encodeURIComponent(id)}/crop`),
  createRendition: (id: string, body: RenditionRequest, signal?: AbortSignal) =>
    request<CreatedRendition>('POST', `/images/${encodeURIComponent(id)}/renditions`, { body, signal }),
  createUpload: (body: UploadRequest) => request<UploadTicket | DuplicateUpload>('POST', '/uploads', { body }),
  listBackfills: (signal?: AbortSignal) => request<BackfillPage>('GET', '/backfills', { signal }),
  getBackfill: (id: string, signal?: AbortSignal) =>
    request<BackfillRun>('GET', `/backfills/${encodeURIComponent(id)}`, { signal }),
  startBackfill: (body: BackfillRequest) => request<StartedBackfill>('POST', '/backfills', { body }),
  listPlaces: (query: { cursor?: string }, signal?: AbortSignal) =>
    request<PlacesPage>('GET', '/places', { query, signal }),
  suggestPlaces: (q: string, signal?: AbortSignal) =>
    request<PlaceSuggestions>('GET', '/places/suggestions', { query: { q, limit: '8' }, signal }),
  listPeople: (query: { limit: string; cursor?: string }, signal?: AbortSignal) =>
    request<PersonPage>('GET', '/people', { query, signal }),
  getPerson: (id: string, signal?: AbortSignal) =>
    request<Person>('GET', `/people/${encodeURIComponent(id)}`, { signal }),
  renamePerson: (id: string, body: PersonChange) =>
    request<Person>('PATCH', `/people/${encodeURIComponent(id)}`, { body }),
  mergePeople: (id: string, body: PeopleMerge) =>
    request<Person>('POST', `/people/${encodeURIComponent(id)}/merge`, { body }),
  removePersonFaces: (id: string, imageId: string) =>
    request<FacesRemoved>('DELETE', `/people/${encodeURIComponent(id)}/images/${encodeURIComponent(imageId)}`),
  deletePerson: (id: string) => request<void>('DELETE', `/people/${encodeURIComponent(id)}`),
  /** "Who is this?" / "Someone else…": give an image's face to a person, or to a new one by name. */
  assignFace: (imageId: string, face: number, body: FaceAssignment) =>
    request<FaceAssigned>('PUT', `/images/${encodeURIComponent(imageId)}/faces/${face}`, { body }),
  /** "Tag a face": a face the detector missed, drawn, and who it is. */
  drawFace: (imageId: string, body: FaceDrawing) =>
    request<FaceAssigned>('POST', `/images/${encodeURIComponent(imageId)}/faces`, { body }),
  mergeSuggestions: (query: { cursor?: string }, signal?: AbortSignal) =>
    request<SuggestionsPage>('GET', '/people/suggestions', { query, signal }),
  dismissSuggestion: (personIds: [string, string]) =>
    request<void>('POST', '/people/suggestions/dismiss', { body: { personIds } }),
  listWebhooks: (signal?: AbortSignal) => request<WebhookList>('GET', '/webhooks', { signal }),
  getWebhook: (id: string, signal?: AbortSignal) =>
    request<WebhookEndpoint>('GET', `/webhooks/${encodeURIComponent(id)}`, { signal }),
  createWebhook: (body: WebhookCreate) => request<WebhookWithSecret>('POST', '/webhooks', { body }),
  updateWebhook: (id: string, body: WebhookChange) =>
    request<WebhookEndpoint>('PATCH', `/webhooks/${encodeURIComponent(id)}`, { body }),
  deleteWebhook: (id: string) => request<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`),
  rotateWebhookSecret: (id: string) =>
    request<WebhookWithSecret>('POST', `/webhooks/${encodeURIComponent(id)}/rotate-secret`),
  listWebhookDeliveries: (id: string, query: { limit: string; cursor?: string }, signal?: AbortSignal) =>
    request<WebhookDeliveryPage>('GET', `/webhooks/${encodeURIComponent(id)}/deliveries`, { query, signal }),
  replayWebhook: (id: string, body: WebhookReplay) =>
    request<WebhookReplayAnswer>('POST', `/webhooks/${encodeURIComponent(id)}/replay`, { body }),
  /** The caller's albums; with `shared: 'true'` those other owners shared with them. */
  listAlbums: (query: { limit: string; cursor?: string; shared?: 'true' }, signal?: AbortSignal) =>
    request<AlbumList>('GET', '/albums', { query, signal }),
  /** Share an album with another owner, or change their role (its owner only). */
  setAlbumMember: (id: string, owner: string, body: AlbumMemberChange) =>
    request<AlbumMember & { albumId: string }>(
      'PUT',
      `/albums/${encodeURIComponent(id)}/members/${encodeURIComponent(owner)}`,
      { body },
    ),
  removeAlbumMember: (id: string, owner: string) =>
    request<void>('DELETE', `/albums/${encodeURIComponent(id)}/members/${encodeURIComponent(owner)}`),
  createAlbum: (body: AlbumCreate) => request<Album>('POST', '/albums', { body }),
  getAlbum: (id: string, query: { limit: string; cursor?: string }, signal?: AbortSignal) =>
    request<AlbumPage>('GET', `/albums/${encodeURIComponent(id)}`, { query, signal }),
  updateAlbum: (id: string, body: AlbumChange) =>
    request<Album>('PATCH', `/albums/${encodeURIComponent(id)}`, { body }),
  deleteAlbum: (id: string) => request<void>('DELETE', `/albums/${encodeURIComponent(id)}`),
  addToAlbum: (id: string, imageIds: string[]) =>
    request<AlbumImagesAdded>('POST', `/albums/${encodeURIComponent(id)}/images`, { body: { imageIds } }),
  removeFromAlbum: (id: string, imageIds: string[]) =>
    request<AlbumImagesRemoved>('DELETE', `/albums/${encodeURIComponent(id)}/images`, { body: { imageIds } }),
  imageAlbums: (id: string, signal?: AbortSignal) =>
    request<ImageAlbums>('GET', `/images/${encodeURIComponent(id)}/albums`, { signal }),
  /** A link to an album or one photo: `target` is `albums/<id>` or `images/<id>`. */
  createShare: (target: { kind: 'album' | 'image'; id: string }, body: ShareRequest) =>
    request<CreatedShare>(
      'POST',
      `/${target.kind === 'album' ? 'albums' : 'images'}/${encodeURIComponent(target.id)}/shares`,
      {
        body,
      },
    ),
  listShares: (query: { cursor?: string }, signal?: AbortSignal) =>
    request<SharePage>('GET', '/shares', { query, signal }),
  /** The caller's partners: the grants they made and those made to them (docs/api.md "Partners"). */
  listPartners: (signal?: AbortSignal) => request<PartnerList>('GET', '/partners', { signal }),
  /** Share the caller's library (or from a date, or chosen albums) with another owner; again: replace the grant. */
  grantPartner: (body: GrantPartner) => request<PartnerGrant>('POST', '/partners', { body }),
  revokePartner: (partner: string) => request<void>('DELETE', `/partners/${encodeURIComponent(partner)}`),
  /** The caller's open near-duplicate clusters, newest first. */
  listDuplicates: (query: { cursor?: string }, signal?: AbortSignal) =>
    request<DuplicatesPage>('GET', '/duplicates', { query, signal }),
  /** Keep some of a cluster, trash the rest: the first kept gets what the copies carried. */
  resolveDuplicates: (clusterId: string, body: DuplicatesResolve) =>
    request<DuplicatesResolved>('POST', `/duplicates/${encodeURIComponent(clusterId)}/resolve`, { body }),
  dismissDuplicates: (clusterId: string) =>
    request<DuplicatesDismissed>('POST', `/duplicates/${encodeURIComponent(clusterId)}/dismiss`),
  /** Stacks (docs/api.md "Stacks"): a burst or a RAW+JPEG pair listed as one photo, its primary. */
  createStack: (body: StackCreate) => request<Stack>('POST', '/stacks', { body }),
  getStack: (id: string, signal?: AbortSignal) =>
    request<Stack>('GET', `/stacks/${encodeURIComponent(id)}`, { signal }),
  setStackPrimary: (id: string, body: StackPrimary) =>
    request<Stack>('PUT', `/stacks/${encodeURIComponent(id)}/primary`, { body }),
  /** Unstack: every frame is listed on its own again (the photos stay). */
  unstack: (id: string) => request<void>('DELETE', `/stacks/${encodeURIComponent(id)}`),
  /** Revoke one of the caller's links by its `shareId` (`GET /shares` gives no token). */
  revokeShare: (shareId: string) => request<void>('DELETE', `/shares/${encodeURIComponent(shareId)}`),
};

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

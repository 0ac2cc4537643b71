import type { z } from 'zod';
import type { AlbumImagesAddedSchema } from '../../lambdas/albums/functions/add-album-images/route';
import type { AlbumSchema, SmartQuerySchema } from '../../lambdas/albums/functions/albums-contract';
import type { CreateAlbumSchema } from '../../lambdas/albums/functions/create-album/route';
import type { AlbumImagesPageSchema } from '../../lambdas/albums/functions/get-album/route';
import type { AlbumListSchema } from '../../lambdas/albums/functions/list-albums/route';
import type { ImageAlbumsSchema } from '../../lambdas/albums/functions/list-image-albums/route';
import type { AlbumImagesRemovedSchema } from '../../lambdas/albums/functions/remove-album-images/route';
import type { AlbumMemberChangeSchema, AlbumMemberSchema } from '../../lambdas/albums/functions/set-album-member/route';
import type {
  CreatedShareSchema,
  SavedCopySchema,
  SharedImageSchema,
  SharedSchema,
  SharePageSchema,
  ShareRequestSchema,
  ShareSchema,
} from '../../lambdas/albums/functions/share-schemas';
import type { AlbumChangeSchema } from '../../lambdas/albums/functions/update-album/route';
import type { BackfillRunSchema } from '../../lambdas/backfill/functions/get-backfill/route';
import type { BackfillPageSchema } from '../../lambdas/backfill/functions/list-backfills/route';
import type {
  BackfillRequestSchema,
  StartedBackfillSchema,
} from '../../lambdas/backfill/functions/start-backfill/route';
import type { DismissedSchema } from '../../lambdas/duplicates/functions/dismiss-duplicates/route';
import type { DuplicatesPageSchema } from '../../lambdas/duplicates/functions/list-duplicates/route';
import type {
  ResolveDuplicatesSchema,
  ResolvedSchema,
} from '../../lambdas/duplicates/functions/resolve-duplicates/route';
import type { DateTakenClearedSchema } from '../../lambdas/images/functions/clear-date-taken/route';
import type { LabelChangeSchema, LabelsAnswerSchema } from '../../lambdas/images/functions/correct-labels/route';
import type {
  DuplicateAnswerSchema,
  UploadResponseSchema,
  uploadRequestSchema,
} from '../../lambdas/images/functions/create-upload/route';
import type { CropAnswerSchema, CropChangeSchema } from '../../lambdas/images/functions/crop-image/route';
import type { TagChangeSchema, TagsAnswerSchema } from '../../lambdas/images/functions/edit-tags/route';
import type { ImageDetailSchema } from '../../lambdas/images/functions/get-image/route';
import type { ImagePageSchema } from '../../lambdas/images/functions/list-images/route';
import type { RotationAnswerSchema, RotationChangeSchema } from '../../lambdas/images/functions/rotate-image/route';
import type { ArchivedAnswerSchema, ArchivedChangeSchema } from '../../lambdas/images/functions/set-archived/route';
import type { DateTakenAnswerSchema, DateTakenChangeSchema } from '../../lambdas/images/functions/set-date-taken/route';
import type { FavouriteAnswerSchema, FavouriteChangeSchema } from '../../lambdas/images/functions/set-favourite/route';
import type { LockedAnswerSchema, LockedChangeSchema } from '../../lambdas/images/functions/set-locked/route';
import type { PinStateSchema } from '../../lambdas/locked/functions/get-pin/route';
import type { PinSetSchema, SetPinSchema } from '../../lambdas/locked/functions/set-pin/route';
import type { UnlockedSchema } from '../../lambdas/locked/functions/unlock/route';
import type { PartnerListSchema } from '../../lambdas/partners/functions/list-partners/route';
import type { GrantPartnerSchema, PartnerGrantSchema } from '../../lambdas/partners/functions/partners-contract';
import type { AssignFaceSchema, FaceAssignedSchema } from '../../lambdas/people/functions/assign-face/route';
import type { DrawFaceSchema } from '../../lambdas/people/functions/draw-face/route';
import type { SuggestionsPageSchema } from '../../lambdas/people/functions/list-merge-suggestions/route';
import type { PeoplePageSchema } from '../../lambdas/people/functions/list-people/route';
import type { MergeSchema } from '../../lambdas/people/functions/merge-people/route';
import type { PersonSchema } from '../../lambdas/people/functions/people-contract';
import type { FacesRemovedSchema } from '../../lambdas/people/functions/remove-person-faces/route';
import type { RenameSchema } from '../../lambdas/people/functions/rename-person/route';
import type { PlaceChangeSchema } from '../../lambdas/places/functions/correct-place/route';
import type { PlacesPageSchema } from '../../lambdas/places/functions/list-places/route';
import type { PlaceAnswerSchema } from '../../lambdas/places/functions/place-contract';
import type { SuggestionsSchema } from '../../lambdas/places/functions/suggest-places/route';
import type {
  CreatedRenditionSchema,
  RenditionSpecDocument,
  SignedRenditionSchema,
} from '../../lambdas/renditions/functions/create-rendition/route';
import type { SimilarPageSchema } from '../../lambdas/search/functions/similar-images/route';
import type {
  CreateStackSchema,
  StackPrimarySchema,
  StackSchema,
} from '../../lambdas/stacks/functions/stacks-contract';
import type { TrashedAnswerSchema } from '../../lambdas/trash/functions/delete-image/route';
import type { EmptyingAnswerSchema } from '../../lambdas/trash/functions/empty-trash/route';
import type { RestoredAnswerSchema } from '../../lambdas/trash/functions/restore-image/route';
import type {
  CreateWebhookSchema,
  EndpointWithSecretSchema,
} from '../../lambdas/webhooks/functions/create-webhook/route';
import type { DeliveryPageSchema } from '../../lambdas/webhooks/functions/list-webhook-deliveries/route';
import type { WebhookEndpointListSchema } from '../../lambdas/webhooks/functions/list-webhooks/route';
import type {
  ReplayAnswerSchema,
  ReplaySchema,
} from '../../lambdas/webhooks/functions/replay-webhook-deliveries/route';
import type { UpdateWebhookSchema } from '../../lambdas/webhooks/functions/update-webhook/route';

/*
 * The API's bodies as the app sends and reads them: the zod schemas the handlers parse requests with and check
 * their answers against, and docs/openapi.json is made from, so a change to the API that the app does not follow
 * fails `tsc -p web`. Imported as types only, so nothing of lambdas/ enters the bundle (.dependency-cruiser.cjs
 * keeps it so). A request is the schema's input (what it accepts), an answer its output (what the handler sends).
 */

/** `GET /images/{id}`. */
export type ImageDetail = z.output<typeof ImageDetailSchema>;
/** `GET /images`. */
export type ImagePage = z.output<typeof ImagePageSchema>;
export type ImageSummary = ImagePage['items'][number];
/** `POST /uploads`: the body. */
export type UploadRequest = z.input<ReturnType<typeof uploadRequestSchema>>;
/** `POST /uploads`: the answer. */
export type UploadTicket = z.output<typeof UploadResponseSchema>;
/** `DELETE /images/{id}` → 200, `POST /images/{id}/restore`, `POST /trash/empty`. */
export type TrashedImage = z.output<typeof TrashedAnswerSchema>;
export type RestoredImage = z.output<typeof RestoredAnswerSchema>;
export type EmptyingTrash = z.output<typeof EmptyingAnswerSchema>;
/** `POST /uploads` → 200: the caller already has these bytes; nothing was stored. */
export type DuplicateUpload = z.output<typeof DuplicateAnswerSchema>;
/** `GET /images/{id}/similar`. */
export type SimilarPage = z.output<typeof SimilarPageSchema>;
export type PlacesPage = z.output<typeof PlacesPageSchema>;
export type PlaceCountry = PlacesPage['countries'][number];
/** A place at any level: its name, code, count, the `place=` values that list its photos and its cover photo. */
export type PlaceGroup = Pick<PlaceCountry, 'name' | 'code' | 'count' | 'place' | 'cover'>;
/** `GET /places/suggestions`: places of the places data whose names start with what is typed. */
export type PlaceSuggestions = z.output<typeof SuggestionsSchema>;
export type PlaceSuggestion = PlaceSuggestions['suggestions'][number];
/** `GET /images/{id}`'s `place`: its names, country down, and how they were given. */
export type NamedPlace = NonNullable<ImageDetail['place']>;
/** `PUT /images/{id}/place`: the body, exactly one of a position, a place named by hand, or `cleared`. */
export type PlaceChange = z.input<typeof PlaceChangeSchema>;
/** `PUT` and `DELETE /images/{id}/place`: the answer, where the image was taken now. */
export type ImagePlace = z.output<typeof PlaceAnswerSchema>;
/** `PATCH /images/{id}/labels`: the body. */
export type LabelChange = z.input<typeof LabelChangeSchema>;
/** `PATCH /images/{id}/labels`: the answer. */
export type ImageLabels = z.output<typeof LabelsAnswerSchema>;
/** `PATCH /images/{id}/tags`: the body, tags to add and to take away; the answer, the tags now. */
export type TagChange = z.input<typeof TagChangeSchema>;
export type ImageTags = z.output<typeof TagsAnswerSchema>;
/** `PUT /images/{id}/taken`: the body, a date-time with its offset; the answer, the date taken now. */
export type DateTakenChange = z.input<typeof DateTakenChangeSchema>;
export type ImageDateTaken = z.output<typeof DateTakenAnswerSchema>;
/** `DELETE /images/{id}/taken`: the photo's own date again (absent: none, it sorts by its upload). */
export type ImageDateTakenCleared = z.output<typeof DateTakenClearedSchema>;
/** `PUT /images/{id}/favourite`: the body and the answer. */
export type FavouriteChange = z.input<typeof FavouriteChangeSchema>;
export type ImageFavourite = z.output<typeof FavouriteAnswerSchema>;
export type ArchivedChange = z.input<typeof ArchivedChangeSchema>;
export type ImageArchived = z.output<typeof ArchivedAnswerSchema>;
/** `PUT /images/{id}/locked`, `PUT /locked/pin`, `POST /locked/unlock` (docs/api.md "The locked folder"). */
export type LockedChange = z.input<typeof LockedChangeSchema>;
export type ImageLocked = z.output<typeof LockedAnswerSchema>;
export type PinChange = z.input<typeof SetPinSchema>;
export type PinSet = z.output<typeof PinSetSchema>;
export type PinState = z.output<typeof PinStateSchema>;
export type Unlocked = z.output<typeof UnlockedSchema>;
/** `PUT /images/{id}/rotation`: the body (absolute clockwise degrees) and the answer. */
export type RotationChange = z.input<typeof RotationChangeSchema>;
export type ImageRotation = z.output<typeof RotationAnswerSchema>;
/** `PUT /images/{id}/crop`: the body (fractions of the upright photo) and the answer (also `DELETE`'s). */
export type CropChange = z.input<typeof CropChangeSchema>;
export type ImageCrop = z.output<typeof CropAnswerSchema>;

/** `POST /images/{id}/renditions`: the body, a rendition spec. */
export type RenditionRequest = z.input<typeof RenditionSpecDocument>;
/** `POST /images/{id}/renditions`: the answer, a signed URL. */
export type SignedRendition = z.output<typeof SignedRenditionSchema>;
/** `POST /images/{id}/renditions`: the signed URL and the size its rendition will have. */
export type CreatedRendition = z.output<typeof CreatedRenditionSchema>;

/** `POST /backfills`: the body. */
export type BackfillRequest = z.input<typeof BackfillRequestSchema>;
/** `POST /backfills`: the answer. */
export type StartedBackfill = z.output<typeof StartedBackfillSchema>;
/** `GET /backfills`. */
export type BackfillPage = z.output<typeof BackfillPageSchema>;
/** `GET /backfills/{id}`. */
export type BackfillRun = z.output<typeof BackfillRunSchema>;

/** Where vision found something: fractions (0..1) of the oriented image's width and height. */
export type Box = NonNullable<ImageDetail['vision']>['faces'][number]['box'];

/** `GET /people/{id}`, `PATCH /people/{id}`, `POST /people/{id}/merge`: a person, with a thumbnail of its cover. */
export type Person = z.output<typeof PersonSchema>;
/** `GET /people`: most faces first. */
export type PersonPage = z.output<typeof PeoplePageSchema>;
/** `PATCH /people/{id}`: the body (null clears the name). */
export type PersonChange = z.input<typeof RenameSchema>;
/** `POST /people/{id}/merge`: the people merged into `{id}`. */
export type PeopleMerge = z.input<typeof MergeSchema>;
/** `PUT /images/{id}/faces/{face}`: who the face is (one of the owner's people, or a new one by name). */
export type FaceAssignment = z.input<typeof AssignFaceSchema>;
/** `POST /images/{id}/faces`: a face drawn, and who it is. */
export type FaceDrawing = z.input<typeof DrawFaceSchema>;
/** Both: the face and its person now. */
export type FaceAssigned = z.output<typeof FaceAssignedSchema>;
/** `GET /people/suggestions`: pairs of people whose faces are close, to merge or dismiss. */
export type SuggestionsPage = z.output<typeof SuggestionsPageSchema>;
export type MergeSuggestion = SuggestionsPage['items'][number];
/** `DELETE /people/{id}/images/{imageId}`: the faces taken out, and the person now (null: it had no other). */
export type FacesRemoved = z.output<typeof FacesRemovedSchema>;
/** `GET /images/{id}`'s `people`, when grouping ran: who each grouped face is (`face` indexes `vision.faces`). */
export type ImagePeopleDetail = NonNullable<ImageDetail['people']>;
/** Faces found but not described (too small, past the cap). */
export type FacesSkipped = ImagePeopleDetail['skipped'];

/** `GET /webhooks`: the caller's endpoints, oldest first. */
export type WebhookList = z.output<typeof WebhookEndpointListSchema>;
/** `GET /webhooks/{id}`, `PATCH /webhooks/{id}`: an endpoint, never its secret. */
export type WebhookEndpoint = WebhookList['items'][number];
/** The event types an endpoint may take (the EventBridge detail types). */
export type WebhookEventType = WebhookEndpoint['eventTypes'][number];
/** `POST /webhooks`: the body. */
export type WebhookCreate = z.input<typeof CreateWebhookSchema>;
/** `POST /webhooks`, `POST /webhooks/{id}/rotate-secret`: the endpoint and its secret, shown this once. */
export type WebhookWithSecret = z.output<typeof EndpointWithSecretSchema>;
/** `PATCH /webhooks/{id}`: the body. */
export type WebhookChange = z.input<typeof UpdateWebhookSchema>;
/** `GET /webhooks/{id}/deliveries`: newest first. */
export type WebhookDeliveryPage = z.output<typeof DeliveryPageSchema>;
export type WebhookDelivery = WebhookDeliveryPage['items'][number];
export type WebhookAttempt = WebhookDelivery['attempts'][number];
/** `POST /webhooks/{id}/replay`: one delivery, or a time range. */
export type WebhookReplay = z.input<typeof ReplaySchema>;
/** `POST /webhooks/{id}/replay`: the answer. */
export type WebhookReplayAnswer = z.output<typeof ReplayAnswerSchema>;

/** `GET /albums/{id}`, `POST /albums`, `PATCH /albums/{id}`: an album, with a presigned thumbnail of its cover. */
export type Album = z.output<typeof AlbumSchema>;
/** A smart album's saved search: `GET /images`' filters, a repeatable one as a list. */
export type SmartQuery = z.input<typeof SmartQuerySchema>;
/** `GET /albums`: newest first. */
export type AlbumList = z.output<typeof AlbumListSchema>;
/** `POST /albums`: the body. */
export type AlbumCreate = z.input<typeof CreateAlbumSchema>;
/** `PATCH /albums/{id}`: the body. */
export type AlbumChange = z.input<typeof AlbumChangeSchema>;
/** `GET /albums/{id}`: the album and a page of its photos, in its order. */
export type AlbumPage = z.output<typeof AlbumImagesPageSchema>;
/** `POST` and `DELETE /albums/{id}/images`: how many changed, and the album now. */
export type AlbumImagesAdded = z.output<typeof AlbumImagesAddedSchema>;
export type AlbumImagesRemoved = z.output<typeof AlbumImagesRemovedSchema>;
/** `GET /albums/{id}`'s `members` (to its owner): whom the album is shared with. */
export type AlbumMember = z.output<typeof AlbumMemberSchema>;
/** `PUT /albums/{id}/members/{owner}`: the body. */
export type AlbumMemberChange = z.input<typeof AlbumMemberChangeSchema>;
/** `GET /images/{id}/albums`: the albums an image is in. */
export type ImageAlbums = z.output<typeof ImageAlbumsSchema>;

/** `POST /albums/{id}/shares`, `POST /images/{id}/shares`: the body, the answer. */
export type ShareRequest = z.input<typeof ShareRequestSchema>;
export type CreatedShare = z.output<typeof CreatedShareSchema>;
/** A link as its owner sees it (`GET /shares`: newest first). */
export type Share = z.output<typeof ShareSchema>;
export type SharePage = z.output<typeof SharePageSchema>;
/** `GET /shared/{token}`, signed out: what a link shows, and nothing else of its owner. */
export type Shared = z.output<typeof SharedSchema>;
export type SharedImage = z.output<typeof SharedImageSchema>;

/** `POST /partners`: the body (whole library, or from a date, or chosen albums); a grant as the API answers it. */
export type GrantPartner = z.input<typeof GrantPartnerSchema>;
export type PartnerGrant = z.output<typeof PartnerGrantSchema>;
/** `GET /partners`: the grants the caller made (by partner) and those made to them (oldest first). */
export type PartnerList = z.output<typeof PartnerListSchema>;
/** `POST /shared/{token}/save`, signed in: the caller's copy of a link's photo. */
export type SavedCopy = z.output<typeof SavedCopySchema>;

/** `GET /duplicates`: the caller's open clusters of near-duplicates, each with its members suggested-first. */
export type DuplicatesPage = z.output<typeof DuplicatesPageSchema>;
export type DuplicateCluster = DuplicatesPage['items'][number];
/** `POST /duplicates/{id}/resolve`: the photos kept and trashed; what was carried to the first kept. */
export type DuplicatesResolve = z.input<typeof ResolveDuplicatesSchema>;
export type DuplicatesResolved = z.output<typeof ResolvedSchema>;
/** `POST /duplicates/{id}/dismiss`: not duplicates. */
export type DuplicatesDismissed = z.output<typeof DismissedSchema>;

/** `GET /stacks/{id}`, `POST /stacks`, `PUT /stacks/{id}/primary`: a stack and its frames, the primary first. */
export type Stack = z.output<typeof StackSchema>;
export type StackFrame = Stack['frames'][number];
/** `POST /stacks`: the body, 2 to 50 of the caller's photos and which the lists show (default the first). */
export type StackCreate = z.input<typeof CreateStackSchema>;
/** `PUT /stacks/{id}/primary`: the body, the frame the lists show from now on. */
export type StackPrimary = z.input<typeof StackPrimarySchema>;
/** A listed image's `stack`: the stack it shows, with its count when it is the primary (`GET /images`). */
export type StackRef = NonNullable<ImageSummary['stack']>;

import { useEffect, useState } from 'preact/hooks';
import { ActionButton } from '../../action-button';
import { ApiError, api, errorMessage, isAbort } from '../../api';
import { displayName, thumbnailAtLeast } from '../../format';
import type { Stack } from '../../types';

/*
 * A stack's strip (docs/api.md "Stacks"): a burst or a RAW+JPEG pair is listed as one photo, its primary, and the
 * viewer and the image's page show all its frames in a row of thumbnails (`GET /stacks/{id}`), the primary first and
 * the one shown marked. Choosing a frame shows it; its owner can make the frame shown the primary (the one the lists
 * show: `PUT /stacks/{id}/primary`) or unstack (`DELETE /stacks/{id}`: each frame is listed on its own again).
 */

/** What a page says after a change to the stack: the stack now (undefined once unstacked) and the change in words. */
export type StackChanged = (stack: Stack | undefined, said: string) => void;

/**
 * The stack `stackId` names, read once for each id (`problem`: it could not be). None for a 404: another owner's
 * stack (a partner's photo in the timeline carries its stack, which is its owner's to read), or one undone since.
 */
export function useStack(stackId: string | undefined): {
  stack?: Stack;
  problem?: string;
  /** Read, and not the caller's to see (a 404): nothing to show. */
  none: boolean;
  /** The stack as a change answered it (or undefined, unstacked): no need to read it again. */
  set: (stack: Stack | undefined) => void;
} {
  const [loaded, setLoaded] = useState<{ stackId?: string; stack?: Stack; problem?: string }>({});
  useEffect(() => {
    if (!stackId) return undefined;
    const controller = new AbortController();
    api
      .getStack(stackId, controller.signal)
      .then((stack) => setLoaded({ stackId, stack }))
      .catch((error) => {
        if (isAbort(error)) return;
        if (error instanceof ApiError && error.status === 404) setLoaded({ stackId });
        else setLoaded({ stackId, problem: `Could not load the stack: ${errorMessage(error)}` });
      });
    return () => controller.abort();
  }, [stackId]);
  const mine = stackId !== undefined && loaded.stackId === stackId;
  return {
    stack: mine ? loaded.stack : undefined,
    problem: mine ? loaded.problem : undefined,
    none: mine && !loaded.stack && !loaded.problem,
    set: (stack) => setLoaded(stack ? { stackId: stack.stackId, stack } : {}),
  };
}

export interface StackStripProps {
  stack: Stack;
  /** The frame shown now: marked in the strip, and the one Make primary makes the primary. */
  shownId: string;
  /** The caller may change the stack (its owner): Make primary and Unstack are offered. */
  editable: boolean;
  onShow: (imageId: string) => void;
  onChanged: StackChanged;
}

export function StackStrip({ stack, shownId, editable, onShow, onChanged }: StackStripProps) {
  const [problem, setProblem] = useState<string>();
  const shown = stack.frames.find((frame) => frame.imageId === shownId);
  const shownName = shown ? displayName(shown) : 'This photo';
  const change = async (run: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await run();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <section class="stack-strip" aria-label={`Stack of ${stack.count} photos`}>
      <ul class="stack-frames" aria-label="Frames of the stack">
        {stack.frames.map((frame) => {
          const name = displayName(frame);
          const primary = frame.imageId === stack.primary;
          const src = thumbnailAtLeast(frame.thumbnails ?? {}, 128);
          return (
            <li key={frame.imageId} class={primary ? 'stack-frame primary' : 'stack-frame'}>
              <button
                type="button"
                class="stack-button"
                data-image-id={frame.imageId}
                aria-current={frame.imageId === shownId ? 'true' : undefined}
                aria-label={primary ? `${name}, the primary` : name}
                title={primary ? `${name}: the one the lists show` : name}
                onClick={() => onShow(frame.imageId)}
              >
                {src ? (
                  <img class="stack-thumb" src={src} alt="" loading="lazy" decoding="async" />
                ) : (
                  <span>{name}</span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      {editable && (
        <div class="stack-actions">
          {shownId === stack.primary ? (
            <span class="muted">The lists show this one</span>
          ) : (
            <ActionButton
              class="secondary"
              action={() =>
                change(async () => {
                  const now = await api.setStackPrimary(stack.stackId, { imageId: shownId });
                  onChanged(now, `${shownName} is the stack's primary now: the lists show it.`);
                })
              }
            >
              Make primary
            </ActionButton>
          )}
          <ActionButton
            class="secondary"
            action={() =>
              change(async () => {
                await api.unstack(stack.stackId);
                onChanged(undefined, `Unstacked: the ${stack.count} photos are listed on their own.`);
              })
            }
          >
            Unstack
          </ActionButton>
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The strip of the stack a photo's page shows (detail.tsx), read by its id. */
export function StackOf(props: Omit<StackStripProps, 'stack'> & { stackId: string }) {
  const { stackId, ...strip } = props;
  const { stack, problem, none, set } = useStack(stackId);
  if (none) return null;
  if (problem) return <p class="error">{problem}</p>;
  if (!stack) return <p class="muted skeleton-line" aria-hidden="true" />;
  return (
    <StackStrip
      {...strip}
      stack={stack}
      onChanged={(now, said) => {
        set(now);
        strip.onChanged(now, said);
      }}
    />
  );
}

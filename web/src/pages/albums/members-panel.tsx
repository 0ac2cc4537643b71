import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { formatDate } from '../../format';
import type { AlbumMember } from '../../types';

/*
 * The album owner's Members panel: whom the album is shared with (`GET /albums/{id}`'s `members`), each with their
 * role, which can be changed, and Remove; a form to share it with another owner of the deployment by their owner id
 * (`PUT /albums/{id}/members/{owner}`). A smart album takes viewers only.
 */

type Role = AlbumMember['role'];
const ROLE_WORDS: Record<Role, string> = { viewer: 'Viewer', contributor: 'Contributor' };

export function MembersPanel(props: {
  albumId: string;
  smart: boolean;
  members: AlbumMember[];
  /** After a change: the album read again (its members with it). */
  onChange: () => Promise<void>;
}) {
  const { albumId, smart, members } = props;
  const [owner, setOwner] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [problem, setProblem] = useState<string>();
  const [said, setSaid] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setProblem(undefined);
    setSaid(undefined);
    try {
      await work();
      await props.onChange();
      setSaid(done);
      return true;
    } catch (error) {
      setProblem(errorMessage(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    const who = owner.trim();
    if (!who) {
      setProblem('Type the owner id of the person to share it with.');
      return;
    }
    if (await run(() => api.setAlbumMember(albumId, who, { role }), `Shared with ${who} as ${role}.`)) setOwner('');
  };
  return (
    <section class="members" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p class="muted">
        Share the album with other people of this library: a viewer sees it, a contributor also adds their own photos.
      </p>
      {members.length === 0 ? (
        <p class="muted">Not shared with anyone.</p>
      ) : (
        <ul class="member-list" aria-label="Members">
          {members.map((member) => (
            <li key={member.member} data-member={member.member}>
              <span class="member-name">{member.member}</span>
              <span class="muted"> since {formatDate(member.addedAt)}</span>{' '}
              <label class="visually-hidden" for={`role-${member.member}`}>
                Role of {member.member}
              </label>
              <select
                id={`role-${member.member}`}
                value={member.role}
                disabled={busy}
                onChange={(event) => {
                  const next = event.currentTarget.value as Role;
                  void run(
                    () => api.setAlbumMember(albumId, member.member, { role: next }),
                    `${member.member} is a ${next} now.`,
                  );
                }}
              >
                <option value="viewer">{ROLE_WORDS.viewer}</option>
                {!smart && <option value="contributor">{ROLE_WORDS.contributor}</option>}
              </select>{' '}
              <button
                type="button"
                class="secondary small"
                disabled={busy}
                onClick={() =>
                  void run(
                    () => api.removeAlbumMember(albumId, member.member),
                    `No longer shared with ${member.member}.`,
                  )
                }
              >
                Remove <span class="visually-hidden">{member.member}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" aria-label="Share with a member" onSubmit={add} noValidate>
        <label for="member-owner">Owner id</label>
        <input
          id="member-owner"
          type="text"
          autocomplete="off"
          value={owner}
          onInput={(event) => setOwner(event.currentTarget.value)}
        />
        <label for="member-role">Role</label>
        <select id="member-role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
          <option value="viewer">{ROLE_WORDS.viewer}</option>
          {!smart && <option value="contributor">{ROLE_WORDS.contributor}</option>}
        </select>
        <button type="submit" disabled={busy}>
          Share
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {said && <p role="status">{said}</p>}
    </section>
  );
}
